using System.Net;
using System.Text.RegularExpressions;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Account;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MediConnect.Portal.Tests.Features.Account;

/// <summary>The sign-in cookie, sessions, redirects and headers as a browser meets them, through the real pipeline.</summary>
public sealed class SignInHttpTests(PortalOnDatabase fixture) : IClassFixture<PortalOnDatabase>
{
    TestDatabase Database => fixture.Database;

    Task<long> SessionCountAsync(int userId) =>
        Database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM sessions WHERE user_id = @userId", new { userId });

    static string SessionCookie(HttpResponseMessage response) =>
        response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(SignInSetup.CookieName + "=", StringComparison.Ordinal));

    [Fact]
    public async Task SigningInSetsAnHttpOnlySessionCookieThatCarriesOnlyAKeyAndCreatesTheSessionRow()
    {
        var userId = await Database.UserIdAsync("dr.chen@mediconnect.demo");
        var before = await SessionCountAsync(userId);
        using var client = AccountHttp.Client(fixture.Portal);

        using var response = await AccountHttp.PostLoginAsync(client, "dr.chen@mediconnect.demo", SignIn.DoctorPassword);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/doctor", AccountHttp.Location(response));
        var cookie = SessionCookie(response).ToLowerInvariant();
        Assert.Contains("httponly", cookie);
        Assert.Contains("samesite=lax", cookie);
        Assert.DoesNotContain("secure", cookie);
        Assert.DoesNotContain("expires=", cookie); // ends with the browser session; the server ends it sooner
        // A ticket with the user's claims would be far longer; the key alone, encrypted, is short.
        Assert.True(cookie.Split(';')[0].Length < 400, $"The cookie is {cookie.Split(';')[0].Length} characters: it carries more than a session key.");
        Assert.Equal(before + 1, await SessionCountAsync(userId));
    }

    [Fact]
    public async Task OverHttpsTheSessionCookieIsSecure()
    {
        using var client = AccountHttp.Client(fixture.Portal, "https://localhost");

        using var response = await AccountHttp.PostLoginAsync(client, SignIn.PatientEmail, SignIn.PatientPassword);

        Assert.Contains("secure", SessionCookie(response).ToLowerInvariant());
    }

    [Fact]
    public async Task SigningOutDeletesTheSessionAndTheOldCookieNoLongerWorks()
    {
        var userId = await Database.UserIdAsync("dr.garcia@mediconnect.demo");
        using var client = AccountHttp.Client(fixture.Portal);
        using var signIn = await AccountHttp.PostLoginAsync(client, "dr.garcia@mediconnect.demo", SignIn.DoctorPassword);
        var cookie = SessionCookie(signIn).Split(';')[0];
        Assert.Equal(1, await SessionCountAsync(userId));

        using var signOut = await AccountHttp.PostLogoutAsync(client);

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal("/account/login?reason=signed-out", AccountHttp.Location(signOut));
        Assert.Equal(0, await SessionCountAsync(userId));
        Assert.Equal(1, await Database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM audit_log WHERE user_id = @userId AND action = 'sign_out'", new { userId }));
        using var replay = await GetWithCookieAsync("/account/sessions", cookie);
        Assert.Equal(HttpStatusCode.Redirect, replay.StatusCode);
        Assert.StartsWith("/account/login", AccountHttp.Location(replay));
    }

    [Fact]
    public async Task SignOutWithoutTheAntiforgeryTokenIsRefused()
    {
        using var client = AccountHttp.Client(fixture.Portal);
        await AccountHttp.SignInAsync(client, "dr.okafor@mediconnect.demo", SignIn.DoctorPassword);

        using var forged = await client.PostAsync("/account/logout", new FormUrlEncodedContent([]));
        using var stillSignedIn = await client.GetAsync("/account/sessions");

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stillSignedIn.StatusCode);
    }

    [Fact]
    public async Task ARevokedSessionsCookieNoLongerWorks()
    {
        using var client = AccountHttp.Client(fixture.Portal);
        await AccountHttp.SignInAsync(client, "dr.patel@mediconnect.demo", SignIn.DoctorPassword);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/sessions")).StatusCode);

        await Database.DataSource.ExecuteAsync("DELETE FROM sessions WHERE user_id = @id", new { id = await Database.UserIdAsync("dr.patel@mediconnect.demo") });
        using var after = await client.GetAsync("/account/sessions");

        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Equal("/account/login?returnUrl=%2Faccount%2Fsessions", AccountHttp.Location(after));
    }

    [Fact]
    public async Task AfterFifteenIdleMinutesTheCookieNoLongerSignsIn()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var portal = fixture.Portal.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(time)));
        using var client = portal.CreateClient(new() { AllowAutoRedirect = false });
        await AccountHttp.SignInAsync(client, "james.taylor@mediconnect.demo", SignIn.PatientPassword);

        time.Advance(TimeSpan.FromMinutes(14));
        using var active = await client.GetAsync("/account/sessions");
        time.Advance(TimeSpan.FromMinutes(14));
        using var stillActive = await client.GetAsync("/account/sessions");
        time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        using var idle = await client.GetAsync("/account/sessions");

        Assert.Equal(HttpStatusCode.OK, active.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stillActive.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, idle.StatusCode);
        Assert.StartsWith("/account/login", AccountHttp.Location(idle));
    }

    [Fact]
    public async Task TheKeepAlivePingOfAnOpenPageMovesTheIdleEndOn()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var portal = fixture.Portal.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(time)));
        using var client = portal.CreateClient(new() { AllowAutoRedirect = false });
        using var visitor = portal.CreateClient(new() { AllowAutoRedirect = false });
        await AccountHttp.SignInAsync(client, "emily.johnson@mediconnect.demo", SignIn.PatientPassword);
        var userId = await Database.UserIdAsync("emily.johnson@mediconnect.demo");

        time.Advance(TimeSpan.FromMinutes(10));
        using var ping = await client.PostAsync("/account/keep-alive", null);
        using var anonymousPing = await visitor.PostAsync("/account/keep-alive", null);

        Assert.Equal(HttpStatusCode.NoContent, ping.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousPing.StatusCode);
        var endsAt = await Database.DataSource.QueryOneAsync<DateTime>(
            "SELECT max(expires_at) FROM sessions WHERE user_id = @userId", new { userId });
        Assert.Equal(time.GetUtcNow().UtcDateTime.AddMinutes(15), endsAt, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task ACookieIssuedByOneHostIsAcceptedByAnotherOverTheSameDatabase()
    {
        using var first = AccountHttp.Client(fixture.Portal);
        using var signIn = await AccountHttp.PostLoginAsync(first, "aisha.khan@mediconnect.demo", SignIn.PatientPassword);
        var cookie = SessionCookie(signIn).Split(';')[0];

        await using var secondHost = new PortalFactory(Database.ConnectionString, PortalOnDatabase.Settings);
        using var second = secondHost.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/account/sessions");
        request.Headers.Add("Cookie", cookie);
        using var response = await second.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Aisha Khan", await response.Content.ReadAsStringAsync());
        Assert.True(await Database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM data_protection_keys") >= 1);
    }

    [Theory]
    [InlineData("https://evil.example/phish")]
    [InlineData("//evil.example/phish")]
    [InlineData("/\\evil.example/phish")]
    [InlineData("\\\\evil.example\\phish")]
    [InlineData("http:/evil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("/account/login")]
    public async Task OpenRedirectAttemptsLandOnTheHomePage(string returnUrl)
    {
        using var client = AccountHttp.Client(fixture.Portal);

        using var response = await AccountHttp.PostLoginAsync(client, "noah.kim@mediconnect.demo", SignIn.PatientPassword, returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/patient", AccountHttp.Location(response));
    }

    [Fact]
    public async Task SignedOutVisitorsAreSentToLoginAndBackAfterSigningIn()
    {
        using var client = AccountHttp.Client(fixture.Portal);

        using var visit = await client.GetAsync("/account/password");
        using var signIn = await AccountHttp.PostLoginAsync(client, "emily.johnson@mediconnect.demo", SignIn.PatientPassword, "/account/password");

        Assert.Equal("/account/login?returnUrl=%2Faccount%2Fpassword", AccountHttp.Location(visit));
        Assert.Equal("/account/password", AccountHttp.Location(signIn));
    }

    [Fact]
    public async Task TheRootSendsVisitorsToLoginAndEachRoleHome()
    {
        using var visitor = AccountHttp.Client(fixture.Portal);
        using var admin = AccountHttp.Client(fixture.Portal);
        await AccountHttp.SignInAsync(admin, SignIn.AdminEmail, SignIn.AdminPassword);

        using var anonymous = await visitor.GetAsync("/");
        using var signedIn = await admin.GetAsync("/");

        Assert.Equal("/account/login", AccountHttp.Location(anonymous));
        Assert.Equal("/admin", AccountHttp.Location(signedIn));
    }

    [Fact]
    public async Task AWrongPasswordShowsTheMessageAndNeverEchoesThePassword()
    {
        using var client = AccountHttp.Client(fixture.Portal);

        using var response = await AccountHttp.PostLoginAsync(client, "michael.brown@mediconnect.demo", "Secret-Typo-123");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Invalid email or password.", html);
        Assert.DoesNotContain("Secret-Typo-123", html);
        Assert.DoesNotContain(response.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith(SignInSetup.CookieName, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task EveryResponseCarriesTheSecurityHeadersAndTheImportMapCarriesTheNonce()
    {
        using var client = AccountHttp.Client(fixture.Portal);

        using var response = await client.GetAsync("/account/login");
        var html = await response.Content.ReadAsStringAsync();

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("default-src 'self'", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        var nonce = Regex.Match(csp, "'nonce-([^']+)'").Groups[1].Value;
        Assert.Contains($"<script type=\"importmap\" nonce=\"{nonce}\">", html);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString());
    }

    async Task<HttpResponseMessage> GetWithCookieAsync(string path, string cookie)
    {
        using var client = fixture.Portal.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }
}
