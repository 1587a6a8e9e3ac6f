using System.Net;
using System.Text.Json;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Account;
using MediConnect.Portal.Features.Account.TwoFactor;
using MediConnect.Portal.Features.Patient.Vitals;
using MediConnect.Portal.Features.Shared.Vitals;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Features.Account;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;
using Npgsql;

namespace MediConnect.Portal.Tests.Journeys;

/// <summary>
/// Three portal instances behind nginx (TLS, sticky by cookie), on PgBouncer in transaction
/// mode, reading lag-tolerant pages from a streaming standby: every part a real program on
/// loopback (<see cref="ScaledOutPortal"/>). The tests run one after another and leave the
/// clinic as they found it (a killed instance or a stopped standby is started again). In the
/// browser collection: its seven processes never start while another journey's browser waits.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ScaleOutJourneyTests(BrowserFixture browser, ScaledOutPortal clinic) : IClassFixture<ScaledOutPortal>
{
    [Fact]
    public async Task ADoctorKeepsWorkingSignedInWhenTheirInstanceIsKilled()
    {
        var page = await browser.NewPageAsync(clinic.Proxy.Address, ignoreHttpsErrors: true);
        await page.SignInAsync(SignIn.DoctorEmail, SignIn.DoctorPassword);
        await page.Locator(".mud-drawer").GetByRole(AriaRole.Link, new() { Name = "My patients" }).ClickAsync();
        await Assertions.Expect(page.GetByText("John Doe").First).ToBeVisibleAsync();
        var killed = clinic.IndexOf(await page.EvaluateAsync<string>("async () => (await fetch('/health')).headers.get('X-Upstream')"));
        Assert.NotEqual(-1, killed);

        try
        {
            var reloaded = page.WaitForResponseAsync(r => r.Request.IsNavigationRequest && r.Url.EndsWith("/doctor/patients", StringComparison.Ordinal),
                new() { Timeout = 60_000 });
            await clinic.KillAsync(killed);

            // The circuit died with its instance: the page reconnects through nginx to another
            // instance, which does not know the circuit, so the page reloads there, still signed in.
            var response = await reloaded;
            Assert.Equal(200, response.Status);
            Assert.NotEqual(killed, clinic.IndexOf(response.Headers["x-upstream"]));
            await page.WaitForCircuitAsync();
            await Assertions.Expect(page.GetByText("John Doe").First).ToBeVisibleAsync();

            await page.Locator(".mud-drawer").GetByRole(AriaRole.Link, new() { Name = "Appointments" }).ClickAsync();
            await Assertions.Expect(page.Locator("#appointment-table")).ToBeVisibleAsync();
            Assert.EndsWith("/doctor", new Uri(page.Url).AbsolutePath);
        }
        finally
        {
            await clinic.RestartAsync(killed);
        }
    }

    [Fact]
    public async Task SignInThroughTheProxyIsAuditedWithTheClientsOwnAddressAndGetsASecureCookie()
    {
        using var client = clinic.Proxy.Client(from: "127.0.0.2");
        var fields = await AccountHttp.HiddenFieldsAsync(client, "/account/login");
        fields["Input.Email"] = SignIn.PatientEmail;
        fields["Input.Password"] = SignIn.PatientPassword;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/login") { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("X-Forwarded-For", "198.51.100.23"); // forged by the client: nginx replaces it
        request.Headers.UserAgent.ParseAdd("scale-out-audit-test/1.0");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith($"{SignInSetup.CookieName}=", StringComparison.Ordinal));
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", cookie, StringComparison.OrdinalIgnoreCase);
        var audited = await clinic.Primary.QueryListAsync<string>(
            "SELECT ip_address FROM audit_log WHERE action = 'sign_in' AND user_agent = 'scale-out-audit-test/1.0'");
        Assert.Equal(["127.0.0.2"], audited); // not nginx's 127.0.0.3, not the forged address
    }

    [Fact]
    public async Task SignInAttemptsFromOneAddressAreCountedAcrossAllInstances()
    {
        const string address = "127.0.0.4";
        using var client = LoopbackHttp.Client(from: address);
        var fields = await AccountHttp.HiddenFieldsAsync(client, new Uri(clinic.Instances[0].Address, "/account/login").ToString());
        fields["Input.Email"] = $"nobody-{Guid.NewGuid():N}@mediconnect.demo";
        // No password: the form refuses it without hashing anything, so the 13 attempts stay well inside one
        // minute on a loaded machine (each counts all the same: the limit counts sign-in POSTs).
        fields["Input.Password"] = "";

        var attempts = new List<(int Instance, HttpStatusCode Status)>();
        for (var i = 0; i < 13; i++)
        {
            var instance = i % clinic.Instances.Count;
            using var response = await client.PostAsync(new Uri(clinic.Instances[instance].Address, "/account/login"), new FormUrlEncodedContent(fields));
            attempts.Add((instance, response.StatusCode));
        }

        Assert.All(attempts[..10], a => Assert.Equal(HttpStatusCode.OK, a.Status)); // ten in all, 3 or 4 on each instance
        Assert.All(attempts[10..], a => Assert.Equal(HttpStatusCode.TooManyRequests, a.Status));
        Assert.Equal([0, 1, 2], attempts[10..].Select(a => a.Instance).Order());
        Assert.Equal(13, await clinic.Primary.QueryOneAsync<int>("SELECT attempts FROM login_rate_limits WHERE client_key = @address", new { address }));
    }

    [Fact]
    public async Task TwoFactorStepsWorkOnAnyInstanceAndACodeUsedOnOneIsRefusedOnAnother()
    {
        // Each step on another instance: the pending sign-in and the antiforgery tokens are
        // encrypted with the shared keys, and the replay guard lives in the database.
        const string email = "dr.patel@mediconnect.demo";
        var cookies = new CookieContainer();
        using var client = LoopbackHttp.Client(from: "127.0.0.5", cookies: cookies);
        Uri On(int instance, string path) => new(clinic.Instances[instance].Address, path);
        async Task<HttpResponseMessage> PostAsync(int instance, string path, Dictionary<string, string> values)
        {
            var fields = await AccountHttp.HiddenFieldsAsync(client, On(instance, path).ToString());
            foreach (var (name, value) in values)
                fields[name] = value;
            return await client.PostAsync(On(instance, path), new FormUrlEncodedContent(fields));
        }
        Task<HttpResponseMessage> PasswordAsync(int instance) =>
            PostAsync(instance, "/account/login", new() { ["Input.Email"] = email, ["Input.Password"] = SignIn.DoctorPassword });
        static string RedirectedTo(HttpResponseMessage response) =>
            response.Headers.Location is { IsAbsoluteUri: true } location ? location.PathAndQuery : response.Headers.Location?.OriginalString ?? "";
        async Task SignOutAsync(int instance)
        {
            var fields = await AccountHttp.HiddenFieldsAsync(client, On(instance, "/account/sessions").ToString());
            using var _ = await client.PostAsync(On(instance, "/account/logout"), new FormUrlEncodedContent(fields.Where(f => f.Key == "__RequestVerificationToken")));
        }

        using (var signedIn = await PasswordAsync(0))
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var setupPage = await client.GetStringAsync(On(0, "/account/two-factor"));
        var secret = System.Text.RegularExpressions.Regex.Match(setupPage, "<code id=\"authenticator-secret\">([A-Z2-7 ]+)</code>")
            .Groups[1].Value.Replace(" ", "", StringComparison.Ordinal);
        // The set-up takes the current step's code and the sign-in the next step's (both within the drift): the
        // previous step's code, used before, was refused once a loaded machine took the GET and POST past a step's end.
        using (var enrolled = await PostAsync(1, "/account/two-factor", new() { ["SetupCode"] = Authenticator.CodeAt(secret, DateTimeOffset.UtcNow) }))
            Assert.Contains("Two-factor sign-in is on.", await enrolled.Content.ReadAsStringAsync());
        await SignOutAsync(1);

        using (var password = await PasswordAsync(2))
            Assert.Equal("/account/login/code", RedirectedTo(password));
        var code = Authenticator.CodeAt(secret, DateTimeOffset.UtcNow.AddSeconds(30));
        using (var accepted = await PostAsync(0, "/account/login/code", new() { ["Code"] = code }))
            Assert.Equal("/doctor", RedirectedTo(accepted));
        using (var home = await client.GetAsync(On(1, "/doctor")))
            Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        await SignOutAsync(2);

        using (var password = await PasswordAsync(1))
            Assert.Equal("/account/login/code", RedirectedTo(password));
        using var replayed = await PostAsync(2, "/account/login/code", new() { ["Code"] = code });
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        Assert.Contains("already used", await replayed.Content.ReadAsStringAsync());
        var doctorId = await clinic.Primary.QueryOneAsync<int>("SELECT id FROM users WHERE email = @email", new { email });
        Assert.Equal(["wrong_code"], await clinic.Primary.QueryListAsync<string>(
            "SELECT new_values->>'reason' FROM audit_log WHERE action = 'sign_in_failed' AND user_id = @doctorId", new { doctorId }));
    }

    [Fact]
    public async Task ReadsLandOnTheStandbyAndThePortalCarriesOnWhenItStops()
    {
        using var client = clinic.Proxy.Client();
        await AccountHttp.SignInAsync(client, SignIn.DoctorEmail, SignIn.DoctorPassword);
        var before = await ReadSourceAsync(client);
        Assert.True(before.ServedByStandby && before.InRecovery, $"reads should come from a server in recovery: {before}");

        await clinic.Database.StopStandbyAsync();
        try
        {
            using var patients = await client.GetAsync("/doctor/patients");
            Assert.Equal(HttpStatusCode.OK, patients.StatusCode);
            Assert.Contains("John Doe", await patients.Content.ReadAsStringAsync());
            var during = await ReadSourceAsync(client);
            Assert.False(during.ServedByStandby || during.InRecovery, $"reads should come from the primary: {during}");
            Assert.NotNull(during.StandbyError);
        }
        finally
        {
            await clinic.Database.StartStandbyAsync();
        }

        await ReplicatedPostgres.WaitAsync(async () => (await ReadSourceAsync(client)).ServedByStandby, "reads to go back to the standby");
    }

    [Fact]
    public async Task ADoctorsChartReadsTheStandbyWhileThePatientSeesTheirOwnNewReadingAtOnce()
    {
        await using var standby = NpgsqlDataSource.Create(clinic.Database.StandbyConnectionString);
        await using var reads = new LagTolerantReads(clinic.Primary, standby, TimeSpan.FromSeconds(1), TimeProvider.System, NullLogger.Instance);
        var careTeam = new CareTeam(clinic.Primary, TimeProvider.System);
        var patient = await SignedInAsync(Demo.John);
        var doctor = await SignedInAsync(Demo.Smith);
        var patientView = new VitalsReader(clinic.Primary, reads, patient, new ChartAccessGuard(clinic.Primary, careTeam, new AuditLog(patient)));
        var doctorView = new VitalsReader(clinic.Primary, reads, doctor, new ChartAccessGuard(clinic.Primary, careTeam, new AuditLog(doctor)));
        var recorder = new VitalSignsRecorder(clinic.Primary, patient, new AuditLog(patient), careTeam, TimeProvider.System);
        var johnId = patient.User!.Id;
        var standbyStatus = await reads.DescribeAsync();
        Assert.True(standbyStatus.ServedByStandby && standbyStatus.InRecovery);

        await clinic.Database.PauseReplayAsync(); // the standby falls behind, as under load
        RecordedReading saved;
        try
        {
            saved = await recorder.RecordAsync(new VitalReadingInput(HeartRate: 71, Notes: "scale-out test"));

            Assert.Equal(saved.Id, (await patientView.LatestAsync(johnId))?.Id);   // their own write: the primary
            Assert.NotEqual(saved.Id, (await doctorView.LatestAsync(johnId))?.Id); // the chart: the standby, behind
        }
        finally
        {
            await clinic.Database.ResumeReplayAsync();
        }

        await ReplicatedPostgres.WaitAsync(async () => (await doctorView.LatestAsync(johnId))?.Id == saved.Id,
            "the doctor's chart to show the reading once the standby replayed it");
    }

    async Task<TestCurrentUser> SignedInAsync(string email)
    {
        var (id, name, role) = await clinic.Primary.QueryOneAsync<(int, string, string)>("SELECT id, name, role FROM users WHERE email = @email", new { email });
        return new TestCurrentUser(new PortalUser(id, email, name, role, IpAddress: "127.0.0.1", UserAgent: "tests"));
    }

    [Fact]
    public async Task EveryInstanceWorksThroughPgBouncerAndMigratedOnceOverADirectConnection()
    {
        using var client = clinic.Proxy.Client(useCookies: false);
        var cookie = await clinic.Proxy.SessionCookieAsync(SignIn.DoctorEmail, SignIn.DoctorPassword);

        var pages = await Task.WhenAll(Enumerable.Range(0, 30).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/doctor");
            request.Headers.Add("Cookie", cookie); // no route cookie: nginx spreads the requests
            using var response = await client.SendAsync(request);
            return (response.StatusCode, Instance: clinic.IndexOf(NginxProxy.ServedBy(response)));
        }));

        Assert.All(pages, p => Assert.Equal(HttpStatusCode.OK, p.StatusCode));
        Assert.True(pages.Select(p => p.Instance).Distinct().Count() > 1, "nginx should spread cookie-less requests over the instances");
        var pool = Assert.Single(await clinic.PgBouncer.ShowAsync("POOLS"), p => p["database"] == ReplicatedPostgres.Database);
        Assert.Equal("transaction", pool["pool_mode"]);
        Assert.True(int.Parse(pool["sv_active"]) + int.Parse(pool["sv_idle"]) + int.Parse(pool["sv_used"]) > 0, "PgBouncer should hold server connections for the portal");
        Assert.True((await clinic.PgBouncer.ShowAsync("CLIENTS")).Count(c => c["database"] == ReplicatedPostgres.Database) >= clinic.Instances.Count);

        var files = Directory.GetFiles(PostgresServer.MigrationsFolder, "*.sql").Length;
        var journal = await clinic.Primary.QueryOneAsync<(long Rows, long Files, string AppliedBy)>(
            "SELECT count(*), count(DISTINCT file_name), string_agg(DISTINCT applied_by, ',') FROM schema_migrations");
        Assert.Equal((files, files, "startup"), journal); // three instances started together; each file applied once
    }

    [Fact]
    public async Task ABookingWrittenThroughPgBouncerAppearsOnTheDoctorsOpenPageThroughTheProxy()
    {
        // Every instance listens on PostgreSQL itself (DATABASE_DIRECT_URL): through PgBouncer in transaction mode a LISTEN would hear nothing.
        await ReplicatedPostgres.WaitAsync(async () => clinic.Instances.Count == await clinic.Primary.QueryOneAsync<int>(
            "SELECT count(*)::int FROM pg_stat_activity WHERE application_name = 'MediConnect Portal (live updates)'"),
            "one listening connection per instance on the primary");
        var page = await browser.NewPageAsync(clinic.Proxy.Address, ignoreHttpsErrors: true);
        await page.SignInAsync(SignIn.DoctorEmail, SignIn.DoctorPassword);
        await page.GotoAsync("/doctor");
        await page.WaitForCircuitAsync();
        await Assertions.Expect(page.Locator("#appointment-table")).ToContainTextAsync("John Doe");

        // The writes take the portal's own path: PgBouncer, transaction pooling, no prepared statements.
        var throughPgBouncer = new NpgsqlConnectionStringBuilder(clinic.Database.PrimaryConnectionString)
        {
            Port = clinic.PgBouncer.Port, NoResetOnClose = true, MaxAutoPrepare = 0, Pooling = false,
        };
        await using var pooled = NpgsqlDataSource.Create(throughPgBouncer);
        await pooled.ExecuteAsync("""
            INSERT INTO users (email, password, role, name)
            SELECT 'pat.bouncer@mediconnect.demo', password, 'patient', 'Pat Bouncer' FROM users WHERE email = @doctor
            """, new { doctor = SignIn.DoctorEmail });
        // A new patient: once the filter shows no row, any row that appears came from the live update.
        await page.FillAsync("#patient-filter", "Pat Bouncer");
        await Assertions.Expect(page.Locator("#appointment-table tbody tr.mud-table-row")).ToHaveCountAsync(0);

        await pooled.ExecuteAsync("""
            INSERT INTO appointments (patient_id, doctor_id, appointment_date, appointment_time, reason)
            SELECT p.id, d.id, CURRENT_DATE + 3, '22:45', 'Booked through PgBouncer'
            FROM users p, users d WHERE p.email = 'pat.bouncer@mediconnect.demo' AND d.email = @doctor
            """, new { doctor = SignIn.DoctorEmail });

        var row = page.Locator("#appointment-table tr", new() { HasText = "Booked through PgBouncer" });
        await Assertions.Expect(row).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("live-changed"));
    }

    sealed record ReadSource(bool ServedByStandby, bool InRecovery, string? StandbyError);

    static async Task<ReadSource> ReadSourceAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ScaledOutPortal.HealthDetailsToken);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var reads = json.RootElement.GetProperty("reads");
        return new ReadSource(reads.GetProperty("servedByStandby").GetBoolean(), reads.GetProperty("inRecovery").GetBoolean(),
            reads.GetProperty("standbyError").GetString());
    }
}
