namespace MediConnect.Portal.Features.Shared.Notifications.Delivery;

/// <summary>What an outgoing notice tells of (<c>notifications.kind</c>, <c>notification_preferences.kind</c>).</summary>
public static class NoticeKinds
{
    public const string AppointmentBooked = "appointment_booked";
    public const string AppointmentRescheduled = "appointment_rescheduled";
    public const string AppointmentCancelled = "appointment_cancelled";
    public const string AppointmentReminder = "appointment_reminder";
    public const string NewMessage = "new_message";
    public const string NewResult = "new_result";
    public const string CriticalReading = "critical_reading";

    /// <summary>The kinds a user may turn on or off per channel (and unsubscribe from).</summary>
    public static readonly IReadOnlyList<string> Preferable =
        [AppointmentBooked, AppointmentRescheduled, AppointmentCancelled, AppointmentReminder, NewMessage, NewResult, CriticalReading];

    public static bool IsPreferable(string? kind) => kind is not null && Preferable.Contains(kind);
}
