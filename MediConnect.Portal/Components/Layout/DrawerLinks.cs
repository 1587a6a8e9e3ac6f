using System.Security.Claims;
using MediConnect.Portal.Security;
using MudBlazor;

namespace MediConnect.Portal.Components.Layout;

/// <summary>One link of the drawer: where it goes, its icon, its text in <c>ShellText</c>.</summary>
/// <param name="Exact">Marked as the current page only on its own address, not on the pages under it.</param>
/// <param name="UnreadMessages">Carries the unread-messages badge.</param>
public sealed record DrawerLink(string Href, string Icon, string TextKey, bool Exact = false, bool UnreadMessages = false)
{
    /// <summary>Whether <paramref name="path"/> (no query, leading slash) is this link's page or under it.</summary>
    public bool IsCurrent(string path) =>
        string.Equals(path, Href, StringComparison.OrdinalIgnoreCase)
        || (!Exact && path.StartsWith(Href + "/", StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// The drawer's links, the role's main tasks first (a few Tabs after the skip link), one list for the interactive menu (<see cref="NavMenu"/>) and the server
/// render (<see cref="ServerRenderedLayout"/>): only the signed-in role's pages, then the account
/// pages everyone signed in has.
/// </summary>
public static class DrawerLinks
{
    static readonly DrawerLink[] Admin =
    [
        new("/admin", Icons.Material.Filled.Dashboard, "Nav.Dashboard", Exact: true),
        new("/admin/users", Icons.Material.Filled.People, "Nav.Users"),
        new("/admin/audit", Icons.Material.Filled.Policy, "Nav.AuditLog"),
        new("/admin/migrations", Icons.Material.Filled.Storage, "Nav.Migrations"),
        new("/admin/health", Icons.Material.Filled.MonitorHeart, "Nav.HealthAndPool"),
        new("/admin/delivery", Icons.Material.Filled.Outbox, "Nav.Delivery"),
    ];

    static readonly DrawerLink[] Doctor =
    [
        new("/doctor", Icons.Material.Filled.Event, "Nav.Appointments", Exact: true),
        new("/doctor/patients", Icons.Material.Filled.People, "Nav.MyPatients"),
        new("/messages", Icons.Material.Filled.Mail, "Nav.Messages", UnreadMessages: true),
    ];

    static readonly DrawerLink[] Patient =
    [
        new("/patient", Icons.Material.Filled.Home, "Nav.Home", Exact: true),
        new("/patient/appointments", Icons.Material.Filled.Event, "Nav.Appointments"),
        new("/messages", Icons.Material.Filled.Mail, "Nav.Messages", UnreadMessages: true),
        new("/patient/vitals", Icons.Material.Filled.MonitorHeart, "Nav.Vitals"),
        new("/patient/prescriptions", Icons.Material.Filled.Medication, "Nav.Prescriptions"),
        new("/patient/records", Icons.Material.Filled.Description, "Nav.Records"),
        new("/patient/labs", Icons.Material.Filled.Science, "Nav.LabResults"),
        new("/patient/health", Icons.Material.Filled.HealthAndSafety, "Nav.HealthSummary"),
        new("/patient/record-access", Icons.Material.Filled.Visibility, "Nav.RecordAccess"),
        new("/notifications", Icons.Material.Filled.Notifications, "Nav.Notifications"),
        new("/patient/profile", Icons.Material.Filled.Person, "Nav.Profile"),
    ];

    /// <summary>The account pages of every signed-in user, below a divider.</summary>
    public static readonly IReadOnlyList<DrawerLink> Account =
    [
        new("/account/password", Icons.Material.Filled.Key, "Nav.ChangePassword"),
        new("/account/sessions", Icons.Material.Filled.Devices, "Nav.MySessions"),
        new("/account/two-factor", Icons.Material.Filled.PhonelinkLock, "Nav.TwoFactor"),
        new("/account/connected-apps", Icons.Material.Filled.Apps, "Nav.ConnectedApps"),
        new("/account/notifications", Icons.Material.Filled.NotificationsActive, "Nav.NotificationSettings"),
    ];

    /// <summary>The one link of a visitor who is not signed in.</summary>
    public static readonly DrawerLink SignIn = new("/account/login", Icons.Material.Filled.Login, "Nav.SignIn");

    /// <summary>The pages of the user's role (none for a user without one).</summary>
    public static IReadOnlyList<DrawerLink> ForRole(ClaimsPrincipal user) =>
        user.IsInRole(Roles.Admin) ? Admin
        : user.IsInRole(Roles.Doctor) ? Doctor
        : user.IsInRole(Roles.Patient) ? Patient
        : [];
}
