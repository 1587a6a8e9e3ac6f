using System.Net;
using MediConnect.Portal.Features.Account;
using MediConnect.Portal.Tests.Features.Account;
using MediConnect.Portal.Tests.Fixtures;

namespace MediConnect.Portal.Tests.Security;

/// <summary>
/// Every kind of redirect the portal answers with, asked for with <c>Host: evil.example</c>: the
/// Location must be a path on the site that was asked, never an address built from the Host
/// header (a poisoned cache or a password-reset-style link would send users to the attacker).
/// </summary>
public sealed class RelativeRedirectTests(PortalOnDatabase fixture) : IClassFixture<PortalOnDatabase>
{
    const string EvilHost = "evil.example";

    HttpClient Client(PortalFactory? portal = null)
    {
        var client = AccountHttp.Client(portal ?? fixture.Portal, $"http://{EvilHost}");
        client.DefaultRequestHeaders.Host = EvilHost;
        return client;
    }

    static string RelativeLocation(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.DoesNotContain(EvilHost, location);
        Assert.StartsWith("/", location);
        Assert.False(location.StartsWith("//", StringComparison.Ordinal), location);
        return location;
    }

    [Fact]
    public async Task ASignedOutVisitToAPageRedirectsToARelativeLoginAddress()
    {
        using var client = Client();

        using var response = await client.GetAsync("/patient/vitals?range=30");

        Assert.Equal("/account/login?returnUrl=%2Fpatient%2Fvitals%3Frange%3D30", RelativeLocation(response));
    }

    [Fact]
    public async Task TheRootRedirectsRelativelySignedOutAndSignedIn()
    {
        using var client = Client();
        using (var signedOut = await client.GetAsync("/"))
            Assert.StartsWith("/account/login", RelativeLocation(signedOut));

        await AccountHttp.SignInAsync(client, "dr.okafor@mediconnect.demo", SignIn.DoctorPassword);
        using var signedIn = await client.GetAsync("/");

        Assert.Equal("/doctor", RelativeLocation(signedIn));
    }

    [Fact]
    public async Task SigningInRedirectsRelativelyToTheReturnUrl()
    {
        using var client = Client();

        using var response = await AccountHttp.PostLoginAsync(client, "dr.garcia@mediconnect.demo", SignIn.DoctorPassword, "/doctor/patients");

        Assert.Equal("/doctor/patients", RelativeLocation(response));
    }

    [Fact]
    public async Task SigningInThroughBlazorsEnhancedNavigationRedirectsRelatively()
    {
        using var client = Client();
        var fields = await AccountHttp.HiddenFieldsAsync(client, "/account/login");
        fields["Input.Email"] = "emily.johnson@mediconnect.demo";
        fields["Input.Password"] = SignIn.PatientPassword;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/login") { Content = new FormUrlEncodedContent(fields) };
        request.Headers.TryAddWithoutValidation("Accept", "text/html; blazor-enhanced-nav=on");

        using var response = await client.SendAsync(request);

        Assert.Equal("/patient", RelativeLocation(response));
        Assert.False(response.Headers.Contains("blazor-enhanced-nav-redirect-location"));
    }

    [Fact]
    public async Task AnotherRolesPageRedirectsRelativelyToAccessDenied()
    {
        using var client = Client();
        await AccountHttp.SignInAsync(client, "maria.rodriguez@mediconnect.demo", SignIn.PatientPassword);

        using var response = await client.GetAsync("/admin/users");

        Assert.StartsWith("/account/access-denied", RelativeLocation(response));
    }

    [Fact]
    public async Task SigningOutRedirectsRelatively()
    {
        using var client = Client();
        await AccountHttp.SignInAsync(client, "michael.brown@mediconnect.demo", SignIn.PatientPassword);

        using var response = await AccountHttp.PostLogoutAsync(client);

        Assert.Equal("/account/login?reason=signed-out", RelativeLocation(response));
    }

    [Fact]
    public async Task TheSecondSignInStepAndTheTwoFactorEnforcementRedirectRelatively()
    {
        using var client = Client();
        using var signIn = await AccountHttp.PostLoginAsync(client, "david.wilson@mediconnect.demo", SignIn.PatientPassword);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(SignInSetup.CookieName + "=", StringComparison.Ordinal)).Split(';')[0];
        await using var twoFactorForPatients = new PortalFactory(fixture.Database.ConnectionString,
            new Dictionary<string, string?>(PortalOnDatabase.Settings) { ["REQUIRE_2FA_FOR"] = "patient" });
        using var strict = twoFactorForPatients.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri($"http://{EvilHost}") });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/patient");
        request.Headers.Host = EvilHost;
        request.Headers.Add("Cookie", cookie);

        using var ended = await strict.SendAsync(request);
        using var secondStep = await AccountHttp.PostLoginAsync(Client(twoFactorForPatients), "sophia.nguyen@mediconnect.demo", SignIn.PatientPassword);

        Assert.StartsWith("/account/login?reason=two-factor-required", RelativeLocation(ended));
        Assert.StartsWith("/account/login/setup", RelativeLocation(secondStep));
    }

    [Fact]
    public async Task WithAllowedHostsSetAnotherHostIsRefused()
    {
        await using var portal = new PortalFactory(fixture.Database.ConnectionString,
            new Dictionary<string, string?>(PortalOnDatabase.Settings) { ["AllowedHosts"] = "portal.clinic.example;localhost" });
        using var evil = Client(portal);
        using var clinic = AccountHttp.Client(portal, "http://portal.clinic.example");

        using var refused = await evil.GetAsync("/account/login");
        using var served = await clinic.GetAsync("/account/login");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task AnUnknownAddressIsANotFoundPageWithoutARedirect()
    {
        using var client = Client();

        using var response = await client.GetAsync("/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }
}
