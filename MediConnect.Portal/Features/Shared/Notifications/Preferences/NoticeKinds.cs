using MediConnect.Portal.Security;

namespace MediConnect.Portal.Features.Shared.Notifications.Preferences;

/// <summary>A kind of notice a user may choose channels for (<c>notification_preferences.kind</c>), with its name on the page.</summary>
public sealed record NoticeKind(string Kind, string Label);

/// <summary>The kinds of notice each role can receive by email or SMS.</summary>
public static class NoticeKinds
{
    public const string ContactVerification = "contact_verification";

    static readonly NoticeKind[] Patient =
    [
        new("appointment_booked", "Appointment booked"),
        new("appointment_rescheduled", "Appointment moved"),
        new("appointment_cancelled", "Appointment cancelled"),
        new("appointment_reminder", "Appointment reminders"),
        new("new_message", "New message"),
        new("new_result", "New result available"),
    ];

    static readonly NoticeKind[] Doctor =
    [
        new("new_message", "New message"),
        new("critical_reading", "Critical reading from a patient"),
    ];

    /// <summary>The kinds <paramref name="role"/> receives (none for an admin).</summary>
    public static IReadOnlyList<NoticeKind> For(string role) => role switch
    {
        Roles.Patient => Patient,
        Roles.Doctor => Doctor,
        _ => [],
    };
}
