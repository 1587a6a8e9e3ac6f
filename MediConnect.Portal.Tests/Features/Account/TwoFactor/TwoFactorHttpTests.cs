using System.Net;
using System.Text.RegularExpressions;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Account;
using MediConnect.Portal.Features.Account.TwoFactor;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MediConnect.Portal.Tests.Features.Account.TwoFactor;

/// <summary>A class's own database and a portal over it in which admins and doctors need a second factor (the default).</summary>
public sealed class TwoFactorPortal : IAsyncLifetime
{
    public TestDatabase Database { get; } = new();

    public PortalFactory Portal { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await Database.InitializeAsync();
        Portal = new PortalFactory(Database.ConnectionString, new Dictionary<string, string?>
        {
            ["LOGIN_RATE_LIMIT_PER_MINUTE"] = "1000",
            ["REQUIRE_2FA_FOR"] = "admin,doctor",
        });
    }

    /// <summary>Sets up an authenticator for <paramref name="email"/> with the portal's own keys; returns its secret. The current code stays unused.</summary>
    public async Task<string> EnrolAsync(string email)
    {
        var id = await Database.UserIdAsync(email);
        using var scope = Portal.Services.CreateScope();
        var store = scope.ServiceProvider.GetRequiredService<TwoFactorStore>();
        var setup = (await store.BeginSetupAsync(id, email))!;
        var codes = await store.ConfirmSetupAsync(id, Authenticator.CodeAt(setup.Secret, DateTimeOffset.UtcNow.AddSeconds(-30)), new AuditEntry(id, "two_factor_enrolled"));
        Assert.NotNull(codes);
        return setup.Secret;
    }

    public async ValueTask DisposeAsync()
    {
        await Portal.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>The second sign-in step as a browser's forms meet it, through the real pipeline.</summary>
public sealed partial class TwoFactorHttpTests(TwoFactorPortal fixture) : IClassFixture<TwoFactorPortal>
{
    TestDatabase Database => fixture.Database;

    Task<long> SessionsAsync(int userId) => Database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM sessions WHERE user_id = @userId", new { userId });

    static IEnumerable<string> Cookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];

    /// <summary>Posts the code form of <paramref name="path"/> (its antiforgery token read from the page first).</summary>
    static async Task<HttpResponseMessage> PostCodeAsync(HttpClient client, string path, string code)
    {
        var fields = await AccountHttp.HiddenFieldsAsync(client, path);
        fields["Code"] = code;
        return await client.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    [Fact]
    public async Task ADoctorSetsUpTheAuthenticatorBeforeAnyPageAndThenSignsInWithItsCode()
    {
        const string email = "dr.garcia@mediconnect.demo";
        var doctor = await Database.UserIdAsync(email);
        using var client = AccountHttp.Client(fixture.Portal);

        using var password = await AccountHttp.PostLoginAsync(client, email, SignIn.DoctorPassword, "/doctor/patients");

        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
        Assert.Equal("/account/login/setup?returnUrl=%2Fdoctor%2Fpatients", AccountHttp.Location(password));
        var pending = Assert.Single(Cookies(password), c => c.StartsWith(PendingSignIn.CookieName + "=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", pending);
        Assert.Contains("samesite=strict", pending);
        Assert.Contains("path=/account/login", pending);
        Assert.DoesNotContain(Cookies(password), c => c.StartsWith(SignInSetup.CookieName + "=", StringComparison.Ordinal));
        Assert.Equal(0, await SessionsAsync(doctor));

        // No page is reachable before the set-up.
        using var page = await client.GetAsync("/doctor");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/account/login?returnUrl=", AccountHttp.Location(page));

        var setupPage = await client.GetStringAsync("/account/login/setup?returnUrl=%2Fdoctor%2Fpatients");
        Assert.Contains("data:image/png;base64,", setupPage);
        var secret = SecretShown().Match(setupPage).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal);
        Assert.Equal(32, secret.Length);

        using var wrong = await PostCodeAsync(client, "/account/login/setup?returnUrl=%2Fdoctor%2Fpatients", "000000" == Authenticator.CodeAt(secret, DateTimeOffset.UtcNow) ? "111111" : "000000");
        Assert.Contains("That code is not correct", await wrong.Content.ReadAsStringAsync());
        Assert.Equal(0, await SessionsAsync(doctor));

        using var confirmed = await PostCodeAsync(client, "/account/login/setup?returnUrl=%2Fdoctor%2Fpatients", Authenticator.CodeAt(secret, DateTimeOffset.UtcNow));
        var shown = await confirmed.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal(10, RecoveryCodeShown().Matches(shown).Count);
        Assert.Contains("href=\"/doctor/patients\"", shown);
        Assert.Equal(1, await SessionsAsync(doctor));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/doctor/patients")).StatusCode);

        // Next time: password, then a code (the next one: the set-up used this one).
        using var signOut = await AccountHttp.PostLogoutAsync(client);
        using var again = await AccountHttp.PostLoginAsync(client, email, SignIn.DoctorPassword);
        Assert.Equal("/account/login/code", AccountHttp.Location(again));
        using var code = await PostCodeAsync(client, "/account/login/code", Authenticator.CodeAt(secret, DateTimeOffset.UtcNow.AddSeconds(30)));
        Assert.Equal(HttpStatusCode.Redirect, code.StatusCode);
        Assert.Equal("/doctor", AccountHttp.Location(code));
        Assert.Contains(Cookies(code), c => c.StartsWith(PendingSignIn.CookieName + "=;", StringComparison.Ordinal)); // the pending cookie is gone
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/doctor")).StatusCode);
    }

    [Fact]
    public async Task TheCodeStepRefusesAFormWithoutItsAntiforgeryTokenAndNeverRedirectsOffSite()
    {
        var secret = await fixture.EnrolAsync(SignIn.AdminEmail);
        using var client = AccountHttp.Client(fixture.Portal);
        using var password = await AccountHttp.PostLoginAsync(client, SignIn.AdminEmail, SignIn.AdminPassword, "https://evil.example/phish");
        Assert.Equal("/account/login/code", AccountHttp.Location(password));

        using var forged = await client.PostAsync("/account/login/code?returnUrl=https%3A%2F%2Fevil.example",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "login-code", ["Code"] = Authenticator.CodeAt(secret, DateTimeOffset.UtcNow) }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        using var signedIn = await PostCodeAsync(client, "/account/login/code?returnUrl=https%3A%2F%2Fevil.example", Authenticator.CodeAt(secret, DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/admin", AccountHttp.Location(signedIn));
    }

    [Fact]
    public async Task WithoutAPasswordStepOrAfterTenMinutesTheCodePageSendsBackToThePassword()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var portal = fixture.Portal.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(time)));
        var secret = await fixture.EnrolAsync("dr.chen@mediconnect.demo");
        using var visitor = portal.CreateClient(new() { AllowAutoRedirect = false });
        using var client = portal.CreateClient(new() { AllowAutoRedirect = false });

        using var direct = await visitor.GetAsync("/account/login/code");
        Assert.Equal("/account/login?reason=code-expired", AccountHttp.Location(direct));

        await AccountHttp.PostLoginAsync(client, "dr.chen@mediconnect.demo", SignIn.DoctorPassword);
        var fields = await AccountHttp.HiddenFieldsAsync(client, "/account/login/code");
        time.Advance(TimeSpan.FromMinutes(11));
        fields["Code"] = Authenticator.CodeAt(secret, time.GetUtcNow());
        using var late = await client.PostAsync("/account/login/code", new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.Redirect, late.StatusCode);
        Assert.Equal("/account/login?reason=code-expired", AccountHttp.Location(late));
        Assert.Equal(0, await SessionsAsync(await Database.UserIdAsync("dr.chen@mediconnect.demo")));
    }

    [Fact]
    public async Task ASessionFromBeforeTheRoleNeededASecondFactorEndsAtItsNextRequestPageOrEndpoint()
    {
        // Signed in while the portal asked nobody for a second factor…
        await using var before = new PortalFactory(Database.ConnectionString, new Dictionary<string, string?> { ["LOGIN_RATE_LIMIT_PER_MINUTE"] = "1000" });
        using var admin = AccountHttp.Client(before);
        using var adminElsewhere = AccountHttp.Client(before);
        using var doctor = AccountHttp.Client(before);
        using var patient = AccountHttp.Client(before);
        var adminEmail = await fixture.Database.NewUserAsync(Roles.Admin);
        var adminCookie = SessionCookieOf(await AccountHttp.PostLoginAsync(admin, adminEmail, SignIn.AdminPassword));
        var otherAdminCookie = SessionCookieOf(await AccountHttp.PostLoginAsync(adminElsewhere, adminEmail, SignIn.AdminPassword));
        var doctorCookie = SessionCookieOf(await AccountHttp.PostLoginAsync(doctor, "dr.okafor@mediconnect.demo", SignIn.DoctorPassword));
        var patientCookie = SessionCookieOf(await AccountHttp.PostLoginAsync(patient, "sophia.nguyen@mediconnect.demo", SignIn.PatientPassword));
        var okafor = await Database.UserIdAsync("dr.okafor@mediconnect.demo");

        // …then the portal (restarted with REQUIRE_2FA_FOR=admin,doctor) sees the same cookies.
        using var page = await SendAsync(HttpMethod.Get, "/doctor", doctorCookie);
        using var export = await SendAsync(HttpMethod.Get, "/admin/audit/export.csv", adminCookie);
        using var keepAlive = await SendAsync(HttpMethod.Post, "/account/keep-alive", otherAdminCookie);
        using var patientPage = await SendAsync(HttpMethod.Get, "/patient", patientCookie);

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/account/login?reason=two-factor-required&returnUrl=%2Fdoctor", AccountHttp.Location(page));
        Assert.Equal("/account/login?reason=two-factor-required&returnUrl=%2Fadmin%2Faudit%2Fexport.csv", AccountHttp.Location(export));
        Assert.Equal(HttpStatusCode.Unauthorized, keepAlive.StatusCode);
        Assert.Equal(0, await SessionsAsync(await Database.UserIdAsync(adminEmail)));
        Assert.Equal(HttpStatusCode.OK, patientPage.StatusCode); // patients need no second factor here
        Assert.Equal(0, await SessionsAsync(okafor));
        Assert.Equal(1, await Database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM audit_log WHERE user_id = @okafor AND action = 'session_revoked' AND new_values->>'reason' = 'two_factor_required'", new { okafor }));
        using var retry = await SendAsync(HttpMethod.Get, "/doctor", doctorCookie);
        Assert.StartsWith("/account/login?returnUrl=", AccountHttp.Location(retry));
    }

    [Fact]
    public async Task APatientTurnsOnTwoFactorFromTheAccountPageAndCanRemoveItOnlyWithACode()
    {
        const string email = "robert.miller@mediconnect.demo";
        using var client = AccountHttp.Client(fixture.Portal);
        await AccountHttp.SignInAsync(client, email, SignIn.PatientPassword); // patients need no second factor here

        var page = await client.GetStringAsync("/account/two-factor");
        var secret = SecretShown().Match(page).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal);
        using var turnedOn = await PostFormAsync(client, "two-factor-setup", ("SetupCode", Authenticator.CodeAt(secret, DateTimeOffset.UtcNow.AddSeconds(-30))));
        var shown = await turnedOn.Content.ReadAsStringAsync();
        var recoveryCodes = RecoveryCodeShown().Matches(shown).Select(m => m.Value[10..24]).ToList();
        Assert.Equal(10, recoveryCodes.Count);
        Assert.Contains("10</b> of 10 recovery codes left", await client.GetStringAsync("/account/two-factor"));

        using var wrong = await PostFormAsync(client, "two-factor-remove", ("RemoveCode", "aaaa-bbbb-cccc"));
        Assert.Contains("That code is not correct", await wrong.Content.ReadAsStringAsync());
        using var other = AccountHttp.Client(fixture.Portal);
        Assert.Equal("/account/login/code", AccountHttp.Location(await AccountHttp.PostLoginAsync(other, email, SignIn.PatientPassword)));

        using var removed = await PostFormAsync(client, "two-factor-remove", ("RemoveCode", recoveryCodes[0]));
        Assert.Contains("The authenticator was removed", await removed.Content.ReadAsStringAsync());
        using var third = AccountHttp.Client(fixture.Portal);
        Assert.Equal("/patient", AccountHttp.Location(await AccountHttp.PostLoginAsync(third, email, SignIn.PatientPassword)));
        var userId = await Database.UserIdAsync(email);
        Assert.Equal(["two_factor_enrolled", "recovery_code_used", "two_factor_removed"], await Database.DataSource.QueryListAsync<string>(
            "SELECT action FROM audit_log WHERE user_id = @userId AND action IN ('two_factor_enrolled', 'recovery_code_used', 'two_factor_removed') ORDER BY id", new { userId }));
    }

    [Fact]
    public async Task AScriptOfATwoFactorAccountCreatesATokenOnlyWithItsCode()
    {
        var enrolled = await Database.NewUserAsync(Roles.Doctor);
        var secret = await fixture.EnrolAsync(enrolled);
        var notEnrolled = await Database.NewUserAsync(Roles.Doctor);
        using var client = fixture.Portal.CreateClient(new() { AllowAutoRedirect = false });
        async Task<(HttpStatusCode Status, string Body)> CreateTokenAsync(string email, string? code)
        {
            var fields = new Dictionary<string, string> { ["name"] = "backup script" };
            if (code is not null)
                fields["code"] = code;
            using var request = new HttpRequestMessage(HttpMethod.Post, "/account/api-tokens")
            {
                Headers = { Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{email}:{SignIn.DoctorPassword}"))) },
                Content = new FormUrlEncodedContent(fields),
            };
            using var response = await client.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        Task<long> TokensAsync(string email) => Database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE u.email = @email", new { email });

        var withoutCode = await CreateTokenAsync(enrolled, null);
        var wrongCode = await CreateTokenAsync(enrolled, "000000");
        var notSetUp = await CreateTokenAsync(notEnrolled, null);
        Assert.Equal(0, await TokensAsync(enrolled));
        var withCode = await CreateTokenAsync(enrolled, Authenticator.CodeAt(secret, DateTimeOffset.UtcNow));

        Assert.Equal(HttpStatusCode.Unauthorized, withoutCode.Status);
        Assert.Contains("as the form field code", withoutCode.Body);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongCode.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, notSetUp.Status);
        Assert.Contains("must set up two-factor sign-in first", notSetUp.Body);
        Assert.Equal(0, await TokensAsync(notEnrolled));
        Assert.Equal(HttpStatusCode.Created, withCode.Status);
        Assert.Equal(1, await TokensAsync(enrolled));
    }

    /// <summary>Posts the account page's form named <paramref name="form"/> with one field.</summary>
    static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string form, (string Name, string Value) field)
    {
        var fields = await AccountHttp.HiddenFieldsAsync(client, "/account/two-factor");
        fields["_handler"] = form;
        fields[field.Name] = field.Value;
        return await client.PostAsync("/account/two-factor", new FormUrlEncodedContent(fields));
    }

    async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string cookie)
    {
        using var client = fixture.Portal.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }

    static string SessionCookieOf(HttpResponseMessage response)
    {
        using (response)
            return Cookies(response).Single(c => c.StartsWith(SignInSetup.CookieName + "=", StringComparison.Ordinal)).Split(';')[0];
    }

    [GeneratedRegex("<code id=\"authenticator-secret\">([A-Z2-7 ]+)</code>")]
    private static partial Regex SecretShown();

    [GeneratedRegex("<li><code>[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}</code></li>")]
    private static partial Regex RecoveryCodeShown();
}
