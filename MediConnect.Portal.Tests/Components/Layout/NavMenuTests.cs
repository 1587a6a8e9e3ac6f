using Bunit;
using MediConnect.Portal.Components.Layout;
using MediConnect.Portal.Features.Shared;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MediConnect.Portal.Tests.Components.Layout;

public sealed class NavMenuTests : PortalComponentTest
{
    static readonly string[] AccountLinks = ["/account/password", "/account/sessions", "/account/two-factor", "/account/connected-apps", "/account/notifications"];

    public NavMenuTests()
    {
        // The unread-messages badge's services; with no signed-in user as far as services tell, its count is 0 and it reads nothing.
        Services.AddSingleton(_ => NpgsqlDataSource.Create("Host=127.0.0.1"));
        Services.AddSingleton<ICurrentUser>(new TestCurrentUser(null));
        Services.AddSingleton<CareTeam>();
        Services.AddScoped<AuditLog>();
        Services.AddSharedFeatures();
    }

    IReadOnlyList<string?> LinksFor(string? role)
    {
        var auth = AddAuthorization();
        if (role is not null)
        {
            auth.SetAuthorized("Someone");
            auth.SetRoles(role);
        }
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true)); // after the registrations: it builds the renderer
        var menu = Render<NavMenu>();
        return [.. menu.FindAll("a").Select(a => a.GetAttribute("href"))];
    }

    [Fact]
    public void AnAdminSeesOnlyTheAdministrationPages() =>
        Assert.Equal(["/admin", "/admin/users", "/admin/audit", "/admin/migrations", "/admin/health", "/admin/delivery", .. AccountLinks], LinksFor(Roles.Admin));

    [Fact]
    public void ADoctorSeesOnlyTheDoctorsPages() =>
        Assert.Equal(["/doctor", "/doctor/patients", "/messages", .. AccountLinks], LinksFor(Roles.Doctor));

    [Fact]
    public void APatientSeesOnlyThePatientsPages() =>
        Assert.Equal(
            ["/patient", "/patient/appointments", "/messages", "/patient/vitals", "/patient/prescriptions", "/patient/records", "/patient/labs", "/patient/health", "/patient/record-access", "/notifications", "/patient/profile", .. AccountLinks],
            LinksFor(Roles.Patient));

    [Fact]
    public void ASignedOutVisitorSeesOnlySignIn() =>
        Assert.Equal(["/account/login"], LinksFor(null));

    [Fact]
    public void TheAppBarShowsTheUsersNameAndRole()
    {
        var auth = AddAuthorization();
        auth.SetAuthorized("Dr. Sarah Smith");
        auth.SetClaims([.. CurrentUser.ClaimsFor(new PortalUser(2, "dr.smith@mediconnect.demo", "Dr. Sarah Smith", Roles.Doctor))]);

        var menu = Render<UserMenu>();

        Assert.Contains("Dr. Sarah Smith", menu.Markup);
        Assert.Contains("Doctor", menu.Find(".user-menu-role").TextContent);
        Assert.DoesNotContain("dr.smith@mediconnect.demo", menu.Markup);
    }
}
