using System.Net;
using System.Text.Json;
using MediConnect.Portal.Components.Errors;
using MediConnect.Portal.Data;
using MediConnect.Portal.Tests.Features.Account;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MediConnect.Portal.Tests.Components.Errors;

/// <summary>Requests while the database is away or its pool is exhausted, through the real pipeline.</summary>
public sealed class DatabaseOutagePageTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(30);
    const string MonitoringToken = "monitoring-token-for-the-outage-tests";

    static PortalFactory Portal(string connectionString, int poolMax = 20) => new(connectionString, new Dictionary<string, string?>
    {
        ["POSTGRES_CONNECTION_TIMEOUT"] = "2000",
        ["POSTGRES_POOL_MAX"] = poolMax.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["POSTGRES_POOL_MIN"] = "0",
        ["HEALTH_DETAILS_TOKEN"] = MonitoringToken,
    });

    [Fact]
    public async Task WhileTheDatabaseIsUnreachableASignedInPageAndHealthAnswer503WithRetryAfterAndRecoverByThemselves()
    {
        await using var link = new DatabaseLink(database.ConnectionString);
        await using var portal = Portal(link.ConnectionString);
        using var signedIn = AccountHttp.Client(portal);
        await AccountHttp.SignInAsync(signedIn, SignIn.PatientEmail, SignIn.PatientPassword);
        using var anonymous = AccountHttp.Client(portal);
        using (var before = await signedIn.GetAsync("/patient"))
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        link.Cut();

        using (var page = await signedIn.GetAsync("/patient"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(DatabaseOutagePage.RetryAfterSeconds), page.Headers.RetryAfter?.Delta);
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains("The portal cannot reach its database. It keeps retrying.", html);
            Assert.DoesNotContain("Exception", html);
        }
        foreach (var client in new[] { signedIn, anonymous })
        {
            // The patient's session cannot be looked up either: whoever it is, only the status (the details are for admins and the health token).
            using var health = await client.GetAsync("/health");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Equal("""{"status":"unhealthy"}""", await health.Content.ReadAsStringAsync());
        }
        using (var monitoring = new HttpRequestMessage(HttpMethod.Get, "/health") { Headers = { Authorization = new("Bearer", MonitoringToken) } })
        using (var health = await signedIn.SendAsync(monitoring))
            Assert.Equal("unreachable", JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement.GetProperty("database").GetString());
        using (var login = await anonymous.GetAsync("/account/login"))
            Assert.Equal(HttpStatusCode.OK, login.StatusCode); // the sign-in page itself needs no database

        link.Mend();

        // Npgsql drops the broken connections on their next use: wait for the state, not for a time.
        var deadline = DateTime.UtcNow + RecoveryLimit;
        HttpStatusCode status;
        do
        {
            using var again = await signedIn.GetAsync("/patient");
            status = again.StatusCode;
        } while (status != HttpStatusCode.OK && DateTime.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task WhenEveryPooledConnectionStaysBusySignedInRequestsGetTheBusyPageAndTheTimeoutsAreCounted()
    {
        await using var portal = Portal(database.ConnectionString, poolMax: 2);
        using var client = AccountHttp.Client(portal);
        await AccountHttp.SignInAsync(client, SignIn.DoctorEmail, SignIn.DoctorPassword);
        var pool = portal.Services.GetRequiredService<PoolStatistics>();
        var timeoutsBefore = pool.Snapshot().Timeouts;

        // A slow database: both connections the pool may open are busy for the whole test.
        var dataSource = portal.Services.GetRequiredService<NpgsqlDataSource>();
        await using var first = await dataSource.OpenConnectionAsync();
        await using var second = await dataSource.OpenConnectionAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.GetAsync("/doctor")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode));
        foreach (var response in responses)
        {
            Assert.Contains("The portal is busy: every database connection is in use. Please try again in a few seconds.", await response.Content.ReadAsStringAsync());
            response.Dispose();
        }
        Assert.True(pool.Snapshot().Timeouts >= timeoutsBefore + responses.Length, "the admin health page's pool panel counts every timeout");
    }
}
