using System.Net;
using System.Reflection;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;

namespace MediConnect.Portal.Tests.Features.Account;

/// <summary>Every page says who may see it, and the server holds to it for every role.</summary>
public sealed class PageAccessTests(PortalOnDatabase fixture) : IClassFixture<PortalOnDatabase>
{
    sealed record Page(Type Type, string Route, IReadOnlyList<string> Roles);

    static readonly (string Role, string Email, string Password)[] Accounts =
    [
        (Roles.Admin, SignIn.AdminEmail, SignIn.AdminPassword),
        (Roles.Doctor, SignIn.DoctorEmail, SignIn.DoctorPassword),
        (Roles.Patient, SignIn.PatientEmail, SignIn.PatientPassword),
    ];

    static IEnumerable<Type> RoutablePages() =>
        typeof(Program).Assembly.GetTypes().Where(t => t.IsDefined(typeof(RouteAttribute), inherit: false));

    /// <summary>Pages behind <c>[Authorize]</c> whose route has no parameters, with the roles they allow (none listed: any signed-in user).</summary>
    static List<Page> ProtectedPages() =>
    [
        .. from type in RoutablePages()
           let authorize = type.GetCustomAttributes<AuthorizeAttribute>(inherit: true).ToList()
           where authorize.Count > 0
           from route in type.GetCustomAttributes<RouteAttribute>().Select(r => r.Template)
           where !route.Contains('{')
           select new Page(type, route, [.. authorize.SelectMany(a => (a.Roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))]),
    ];

    [Fact]
    public void EveryPageDeclaresWhoMaySeeIt()
    {
        var undeclared = RoutablePages()
            .Where(t => !t.IsDefined(typeof(AuthorizeAttribute), inherit: true) && !t.IsDefined(typeof(AllowAnonymousAttribute), inherit: true))
            .Select(t => t.FullName)
            .ToList();

        Assert.True(undeclared.Count == 0, "Pages without [Authorize] or [AllowAnonymous]: " + string.Join(", ", undeclared));
    }

    [Theory]
    [InlineData("/patient/health")]
    [InlineData("/patient/record-access")]
    public void ThePatientsWholeRecordPagesAreForPatientsOnly(string route) =>
        Assert.Equal([Roles.Patient], Assert.Single(ProtectedPages(), p => p.Route == route).Roles);

    [Fact]
    public async Task SignedOutVisitorsOfAnyProtectedPageAreSentToLoginWithTheWayBack()
    {
        using var client = AccountHttp.Client(fixture.Portal);

        foreach (var page in ProtectedPages())
        {
            using var response = await client.GetAsync(page.Route);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/account/login?returnUrl=" + Uri.EscapeDataString(page.Route), AccountHttp.Location(response));
        }
    }

    [Fact]
    public async Task EachRolesPagesRefuseTheOtherRoles()
    {
        var rolePages = ProtectedPages().Where(p => p.Roles.Count > 0).ToList();
        if (rolePages.Count == 0)
            Assert.Skip("No role pages in this build yet (the workspaces add them).");

        foreach (var (role, email, password) in Accounts)
        {
            using var client = AccountHttp.Client(fixture.Portal);
            await AccountHttp.SignInAsync(client, email, password);
            foreach (var page in rolePages.Where(p => !p.Roles.Contains(role)))
            {
                using var response = await client.GetAsync(page.Route);
                Assert.True(response.StatusCode == HttpStatusCode.Redirect && AccountHttp.Location(response).StartsWith("/account/access-denied", StringComparison.Ordinal),
                    $"{role} reached {page.Route} ({page.Type.Name}): {response.StatusCode} {AccountHttp.Location(response)}");
            }
        }
    }

    [Fact]
    public async Task TheAccessDeniedPageSaysSoAndLinksToTheUsersHome()
    {
        using var client = AccountHttp.Client(fixture.Portal);
        await AccountHttp.SignInAsync(client, SignIn.DoctorEmail, SignIn.DoctorPassword);

        var html = await client.GetStringAsync("/account/access-denied?returnUrl=%2Fadmin%2Fusers");

        Assert.Contains("You do not have access to this page.", html);
        Assert.Contains("href=\"/doctor\"", html);
    }
}
