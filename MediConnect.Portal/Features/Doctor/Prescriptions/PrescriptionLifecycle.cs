using MediConnect.Portal.Security;

namespace MediConnect.Portal.Features.Doctor.Prescriptions;

/// <summary>
/// pending → active → filled / dispensed → completed; cancelled (with a reason) from any live
/// state. Completed and cancelled are final.
/// </summary>
public static class PrescriptionLifecycle
{
    public const string Pending = "pending";
    public const string Active = "active";
    public const string Filled = "filled";
    public const string Dispensed = "dispensed";
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyList<string> All = [Pending, Active, Filled, Dispensed, Completed, Cancelled];

    static readonly Dictionary<string, string[]> Moves = new()
    {
        [Pending] = [Active, Cancelled],
        [Active] = [Filled, Dispensed, Cancelled],
        [Filled] = [Dispensed, Completed, Cancelled],
        [Dispensed] = [Completed, Cancelled],
    };

    public static IReadOnlyList<string> NextSteps(string from) => Moves.GetValueOrDefault(from, []);

    public static bool IsLive(string status) => Moves.ContainsKey(status);

    public static string Label(string status) => status switch
    {
        Pending => "Pending",
        Active => "Active",
        Filled => "Filled",
        Dispensed => "Dispensed",
        Completed => "Completed",
        Cancelled => "Cancelled",
        _ => status,
    };

    public static string Action(string status) => status switch
    {
        Active => "Activate",
        Filled => "Mark filled",
        Dispensed => "Mark dispensed",
        Completed => "Complete",
        Cancelled => "Cancel",
        _ => Label(status),
    };

    public static MudBlazor.Color Color(string status) => status switch
    {
        Pending => MudBlazor.Color.Info,
        Active or Filled or Dispensed => MudBlazor.Color.Success,
        Cancelled => MudBlazor.Color.Default,
        _ => MudBlazor.Color.Secondary,
    };

    public static readonly TextField CancellationReason = new("The cancellation reason", 500, TextKind.Lines, Missing: "Please give a reason for cancelling the prescription.");

    public static void Require(string from, string to, string? reason)
    {
        if (!All.Contains(to))
            throw new BusinessRuleException($"\"{to}\" is not a prescription status.");
        if (!NextSteps(from).Contains(to))
            throw new BusinessRuleException($"A {Label(from).ToLowerInvariant()} prescription cannot be moved to {Label(to).ToLowerInvariant()}.");
        if (to == Cancelled && CancellationReason.Error(reason) is { } error)
            throw new BusinessRuleException(error);
    }
}
