using MediConnect.Portal.Data;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Playwright;

namespace MediConnect.Portal.Tests.Journeys;

/// <summary>
/// One page of the portal as a journey visits it: its path, the heading and the element that show its
/// content has loaded, and whether it is an interactive page (a Blazor circuit) or a server-rendered
/// account page.
/// </summary>
public sealed record PortalPage(string Path, string? Heading, string? Content = null, bool Interactive = true);

/// <summary>
/// Every page of every role, shared by the journeys that check each page (accessibility, phone width),
/// so a new page is added in one place.
/// </summary>
public static class PortalPages
{
    /// <summary>Pages a visitor sees before signing in.</summary>
    public static readonly PortalPage[] SignedOut =
    [
        new("/account/login", "Sign in", Interactive: false),
        new("/account/access-denied", "Access denied", Interactive: false),
    ];

    /// <summary>The account pages every signed-in user has (checked signed in as the patient).</summary>
    public static readonly PortalPage[] Account =
    [
        new("/account/password", "Change password", Interactive: false),
        new("/account/sessions", "My sessions", "#sessions", Interactive: false),
        new("/account/two-factor", "Two-factor sign-in", Interactive: false),
        new("/account/connected-apps", "Connected apps", "#fhir-base"),
        new("/account/notifications", "Email and SMS notifications", "#notification-choices"),
        new("/not-found", "Page not found"),
    ];

    public static async Task<PortalPage[]> PatientAsync(TestDatabase database)
    {
        var johnId = await database.UserIdAsync(SignIn.PatientEmail);
        var recordId = await database.DataSource.QueryOneAsync<int>(
            "SELECT id FROM medical_records WHERE patient_id = @johnId ORDER BY record_date DESC LIMIT 1", new { johnId });
        var visitId = await database.DataSource.QueryOneAsync<int>(
            "SELECT id FROM appointments WHERE patient_id = @johnId AND status = 'completed' ORDER BY appointment_date DESC LIMIT 1", new { johnId });
        return
        [
            new("/patient", "Hello", "#next-appointment"),
            new("/patient/vitals", "My vital signs", ".vital-trend-chart svg"),
            new("/patient/appointments", "My appointments", "#upcoming-appointments"),
            new("/patient/prescriptions", "My prescriptions", "#current-prescriptions"),
            new("/patient/prescriptions/print", "Medication list", "#medication-list"),
            new($"/patient/appointments/{visitId}/summary", "Visit summary", "#visit-summary"),
            new("/patient/records", "My medical records", "#records-table"),
            new($"/patient/records/{recordId}", null, "#record-detail"),
            new("/patient/profile", "My profile", "#save-profile"),
            new("/patient/health", "Health summary", "#summary-medications [data-prescription-id]"),
            new("/patient/record-access", "Who looked at my record", "#record-access-table, #record-access-empty"),
            new("/messages", "Messages", ".message-row"),
            new("/notifications", "Notifications", "#notifications-list"),
        ];
    }

    public static async Task<PortalPage[]> DoctorAsync(TestDatabase database)
    {
        var johnId = await database.UserIdAsync(SignIn.PatientEmail);
        return
        [
            new("/doctor", "Appointments", "#appointments-heading"),
            new("/doctor/patients", "My patients", "#my-patients"),
            new($"/doctor/patients/{johnId}", "John Doe", ".vital-trend-chart svg"),
            new($"/doctor/patients/{johnId}/print", "Chart summary: John Doe", "#chart-summary"),
            new("/messages", "Messages", ".message-row"),
            new("/notifications", "Notifications", "#notifications-list"),
        ];
    }

    public static readonly PortalPage[] Admin =
    [
        new("/admin", "Administration", "#appointments-today"),
        new("/admin/users", "Users", "#users-table"),
        new("/admin/audit", "Audit log", "#audit-table"),
        new("/admin/delivery", "Email and SMS delivery", "#delivery-table"),
        new("/admin/migrations", "Database migrations", "#migrations-table"),
        new("/admin/health", "Database health and pool", "#pool-max"),
    ];

    /// <summary>
    /// Opens the page and waits for its heading and content, then for no loading indicator: what a
    /// check of the finished page needs.
    /// </summary>
    public static async Task OpenAsync(this IPage page, PortalPage portalPage)
    {
        await page.GotoAsync(portalPage.Path);
        if (portalPage.Interactive)
            await page.WaitForCircuitAsync();
        if (portalPage.Heading is not null)
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = portalPage.Heading }).First).ToBeVisibleAsync();
        if (portalPage.Content is not null)
            await Assertions.Expect(page.Locator(portalPage.Content).First).ToBeVisibleAsync();
        await page.WaitForFunctionAsync(
            "() => !document.querySelector('.mud-progress-circular, .mud-progress-linear, .mud-skeleton')");
    }
}
