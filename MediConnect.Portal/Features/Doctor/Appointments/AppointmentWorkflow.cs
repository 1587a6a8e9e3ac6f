using MediConnect.Portal.Security;

namespace MediConnect.Portal.Features.Doctor.Appointments;

/// <summary>The values of <c>appointments.status</c> and how they read on screen.</summary>
public static class AppointmentStatus
{
    public const string Scheduled = "scheduled";
    public const string Confirmed = "confirmed";
    public const string InProgress = "in_progress";
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";
    public const string NoShow = "no_show";

    public static readonly IReadOnlyList<string> All = [Scheduled, Confirmed, InProgress, Completed, Cancelled, NoShow];

    public static string Label(string status) => status switch
    {
        Scheduled => "Scheduled",
        Confirmed => "Confirmed",
        InProgress => "In progress",
        Completed => "Completed",
        Cancelled => "Cancelled",
        NoShow => "No-show",
        _ => status,
    };

    public static MudBlazor.Color Color(string status) => status switch
    {
        Scheduled => MudBlazor.Color.Tertiary,
        Confirmed => MudBlazor.Color.Primary,
        InProgress => MudBlazor.Color.Warning,
        Completed => MudBlazor.Color.Success,
        Cancelled => MudBlazor.Color.Default,
        NoShow => MudBlazor.Color.Error,
        _ => MudBlazor.Color.Default,
    };

    /// <summary>The verb on the button that moves an appointment into <paramref name="status"/>.</summary>
    public static string Action(string status) => status switch
    {
        Confirmed => "Confirm",
        InProgress => "Start",
        Completed => "Complete",
        Cancelled => "Cancel",
        NoShow => "No-show",
        _ => Label(status),
    };
}

/// <summary>
/// The appointment workflow: scheduled → confirmed → in_progress → completed; scheduled or
/// confirmed → cancelled (with a reason) or → no_show once the slot time has passed. Nothing else.
/// </summary>
public static class AppointmentWorkflow
{
    static readonly Dictionary<string, string[]> Moves = new()
    {
        [AppointmentStatus.Scheduled] = [AppointmentStatus.Confirmed, AppointmentStatus.Cancelled, AppointmentStatus.NoShow],
        [AppointmentStatus.Confirmed] = [AppointmentStatus.InProgress, AppointmentStatus.Cancelled, AppointmentStatus.NoShow],
        [AppointmentStatus.InProgress] = [AppointmentStatus.Completed],
    };

    /// <summary>The statuses the appointment may move to now (no-show only after its slot started).</summary>
    public static IReadOnlyList<string> NextSteps(string from, DateTime slotStart, DateTime now) =>
        [.. Moves.GetValueOrDefault(from, []).Where(to => to != AppointmentStatus.NoShow || now >= slotStart)];

    public static bool IsLive(string status) => Moves.ContainsKey(status);

    public static readonly TextField CancellationReason = new("The cancellation reason", 500, TextKind.Lines, Missing: "Please give a reason for the cancellation.");

    /// <summary>Null when the move is allowed; otherwise the message that says why not.</summary>
    public static string? Refusal(string from, string to, DateTime slotStart, DateTime now, string? reason)
    {
        if (!AppointmentStatus.All.Contains(to))
            return $"\"{to}\" is not an appointment status.";
        if (!Moves.GetValueOrDefault(from, []).Contains(to))
            return $"A {AppointmentStatus.Label(from).ToLowerInvariant()} appointment cannot be moved to {AppointmentStatus.Label(to).ToLowerInvariant()}.";
        if (to == AppointmentStatus.NoShow && now < slotStart)
            return "An appointment can be marked as a no-show only once its time has passed.";
        return to == AppointmentStatus.Cancelled ? CancellationReason.Error(reason) : null;
    }

    public static void Require(string from, string to, DateTime slotStart, DateTime now, string? reason)
    {
        if (Refusal(from, to, slotStart, now, reason) is { } message)
            throw new BusinessRuleException(message);
    }
}
