using MediConnect.Portal.Features.Admin.Audit;
using MediConnect.Portal.Features.Admin.Health;
using MediConnect.Portal.Features.Admin.Home;
using MediConnect.Portal.Features.Admin.Users;
using MediConnect.Portal.Features.Doctor.Appointments;
using MediConnect.Portal.Features.Doctor.Patients;
using MediConnect.Portal.Features.Shared.Vitals;
using System.Collections.Concurrent;
using System.Security.Claims;
using MediConnect.Portal.Features.Account;
using MediConnect.Portal.Features.Shared.Messages;
using MediConnect.Portal.Features.Shared.Notifications;
using MediConnect.Portal.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace MediConnect.Portal.Benchmarks.Pages;

/// <summary>
/// What one opening of a page asks of the services, exactly as the page's components call them,
/// for a random doctor or patient (<see cref="PageIds"/>) signed in as <see cref="Role"/>.
/// </summary>
public sealed record PageLoad(string Name, string Role, Func<IServiceProvider, PageIds, Task> Load, bool DevicePatient = false)
{
    /// <summary>What must exist before the page opens and is not part of opening it (the sign-in of GET /doctor).</summary>
    public Func<IServiceProvider, Task>? Prepare { get; init; }

    /// <summary>The main pages: the doctor's list in four views, the header counts, my patients, the chart, messages, a year of vitals, the admin pages.</summary>
    public static readonly IReadOnlyList<PageLoad> All =
    [
        new("doctor list: default", Roles.Doctor, (s, _) => s.Get<DoctorAppointments>().ListAsync(new AppointmentQuery())),
        new("doctor list: past", Roles.Doctor, (s, _) => s.Get<DoctorAppointments>().ListAsync(new AppointmentQuery(AppointmentScope.Past, Descending: true))),
        new("doctor list: sorted by patient", Roles.Doctor, (s, _) => s.Get<DoctorAppointments>().ListAsync(new AppointmentQuery(AppointmentScope.All, Sort: AppointmentSort.PatientName))),
        new("doctor list: filtered", Roles.Doctor, (s, _) => s.Get<DoctorAppointments>().ListAsync(
            new AppointmentQuery(AppointmentScope.All, Statuses: [AppointmentStatus.Completed], PatientName: "son"))),
        new("doctor: today's counts", Roles.Doctor, (s, _) => s.Get<DoctorAppointments>().TodayCountsAsync()),
        new("doctor: my patients", Roles.Doctor, (s, _) => s.Get<DoctorPatients>().ListAsync()),
        new("doctor: patient chart", Roles.Doctor, OpenChartAsync),
        new("messages: inbox", Roles.Doctor, OpenMessagesAsync),
        new("patient: vitals, 1 year (device)", Roles.Patient, (s, ids) => OpenVitalsAsync(s, ids, days: 365), DevicePatient: true),
        new("admin: users search", Roles.Admin, (s, _) => s.Get<UserAdminService>().SearchAsync(new UserQuery("smith"))),
        new("admin: audit first page", Roles.Admin, OpenAuditAsync),
        new("admin: audit by user", Roles.Admin, (s, _) => s.Get<AuditBrowser>().SearchAsync(new AuditQuery(User: "doctor0@clinic-chain.example"))),
        new("admin: health", Roles.Admin, OpenHealthAsync),
        new("admin: home", Roles.Admin, (s, _) => s.Get<AdminOverviewService>().GetAsync()),
    ];

    /// <summary>
    /// What the server render of <c>GET /doctor</c> asks of the database (the appointment table loads
    /// its rows once interactive): the session behind the cookie, the two unread badges, today's counts.
    /// </summary>
    public static readonly PageLoad DoctorHomeRender = new("GET /doctor render", Roles.Doctor, async (s, _) =>
    {
        await s.Get<SessionStore>().RetrieveAsync(await SessionOfAsync(s));
        await s.Get<NotificationService>().UnreadCountAsync();
        await s.Get<DoctorAppointments>().TodayCountsAsync();
        await s.Get<MessageService>().UnreadCountAsync();
    })
    { Prepare = SessionOfAsync };

    static readonly ConcurrentDictionary<int, string> Sessions = new();

    /// <summary>The signed-in user's session (the cookie's key), created the first time.</summary>
    static async Task<string> SessionOfAsync(IServiceProvider services)
    {
        var user = services.Get<BenchUser>().User!;
        if (Sessions.TryGetValue(user.Id, out var sid))
            return sid;
        var principal = new ClaimsPrincipal(new ClaimsIdentity(CurrentUser.ClaimsFor(user), CookieAuthenticationDefaults.AuthenticationScheme));
        var ticket = new AuthenticationTicket(principal, CookieAuthenticationDefaults.AuthenticationScheme);
        return Sessions[user.Id] = await services.Get<SessionStore>().StoreAsync(ticket);
    }

    /// <summary>The chart page: summary (audited), prescriptions, records, appointments, then 90 days of vitals (its default).</summary>
    static async Task OpenChartAsync(IServiceProvider services, PageIds ids)
    {
        var chart = services.Get<PatientChart>();
        await chart.OpenAsync(ids.PatientUser);
        await chart.PrescriptionsAsync(ids.PatientUser);
        await chart.RecordsAsync(ids.PatientUser);
        await chart.AppointmentsAsync(ids.PatientUser);
        await OpenVitalsAsync(services, ids, days: 90);
    }

    /// <summary>The vitals of a period as the chart and the patient's page load them: the trend, then the newest 200 readings.</summary>
    static async Task OpenVitalsAsync(IServiceProvider services, PageIds ids, int days)
    {
        var vitals = services.Get<VitalsReader>();
        var now = DateTime.UtcNow;
        await vitals.TrendAsync(ids.PatientUser, now.AddDays(-days), now);
        await vitals.ReadingsAsync(ids.PatientUser, now.AddDays(-days), limit: 200);
    }

    /// <summary>The messages page as it opens: the newest page of the inbox and of sent, the unread count.</summary>
    static async Task OpenMessagesAsync(IServiceProvider services, PageIds _)
    {
        var messages = services.Get<MessageService>();
        await messages.InboxAsync();
        await messages.SentAsync();
        await messages.UnreadCountAsync();
    }

    static async Task OpenAuditAsync(IServiceProvider services, PageIds _)
    {
        var audit = services.Get<AuditBrowser>();
        await audit.GetFilterChoicesAsync();
        await audit.SearchAsync(new AuditQuery());
    }

    /// <summary>The health page as it opens: pool, health figures, table sizes.</summary>
    static async Task OpenHealthAsync(IServiceProvider services, PageIds _)
    {
        var health = services.Get<DatabaseHealthService>();
        await health.GetPoolAsync();
        await health.GetHealthAsync();
        await health.GetTableSizesAsync();
    }
}

static class ServiceProviderExtensions
{
    public static T Get<T>(this IServiceProvider services) where T : notnull => services.GetRequiredService<T>();
}
