using MediConnect.Portal.Data;
using System.Net;
using System.Text.Json;
using System.Net.Http.Headers;
using MediConnect.Portal.Features.Admin.Health;
using MediConnect.Portal.Features.Shared.Live;
using MediConnect.Portal.Tests.Components.Errors;
using MediConnect.Portal.Tests.Features.Account;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace MediConnect.Portal.Tests.Features.Admin.Health;

public sealed class HealthEndpointTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    const string MonitoringToken = "monitoring-token-for-the-health-tests";
    static readonly Dictionary<string, string?> WithToken = new() { ["HEALTH_DETAILS_TOKEN"] = MonitoringToken };

    /// <summary><c>/health</c> as a monitoring system with the token asks for it (null: anonymously, as a load balancer).</summary>
    static async Task<(HttpStatusCode Status, JsonElement Body)> GetHealthAsync(PortalFactory portal, string? token = MonitoringToken)
    {
        using var client = portal.CreateClient();
        return await GetHealthAsync(client, token);
    }

    static async Task<(HttpStatusCode Status, JsonElement Body)> GetHealthAsync(HttpClient client, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        return (response.StatusCode, body);
    }

    static string[] Fields(JsonElement body) => [.. body.EnumerateObject().Select(p => p.Name)];

    [Fact]
    public async Task ASignedOutCallerGetsTheStatusOnlyWithoutServerVersionMigrationsOrPool()
    {
        await using var portal = new PortalFactory(database.ConnectionString, WithToken);

        var (status, body) = await GetHealthAsync(portal, token: null);
        var (_, wrongToken) = await GetHealthAsync(portal, token: MonitoringToken + "x");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["status"], Fields(body));
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal(["status"], Fields(wrongToken));
    }

    [Fact]
    public async Task ASignedOutCallerStillGets503StatusOnlyWhenTheDatabaseCannotBeReached()
    {
        await using var portal = new PortalFactory("Host=127.0.0.1;Port=1;Database=nowhere;Username=u;Password=p;Timeout=2");

        var (status, body) = await GetHealthAsync(portal, token: null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(["status"], Fields(body));
        Assert.Equal("unhealthy", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task TheDetailsShowTheOutboxDepthTheOldestDueAgeAndTodaysFailures()
    {
        await database.DataSource.ExecuteAsync("""
            INSERT INTO notifications (user_id, type, kind, recipient, title, message, status, send_after)
            SELECT id, 'sms', 'appointment_reminder', '+15550102030', 'Appointment reminder', 'A visit is waiting', s.status, now() - interval '10 minutes'
            FROM users, (VALUES ('pending'), ('pending'), ('failed')) AS s (status)
            WHERE email = 'john.doe@mediconnect.demo'
            """);
        await using var portal = new PortalFactory(database.ConnectionString, WithToken);

        var (_, body) = await GetHealthAsync(portal);
        var (_, anonymous) = await GetHealthAsync(portal, token: null);

        var outbox = body.GetProperty("outbox");
        Assert.True(outbox.GetProperty("pending").GetInt64() >= 2);
        Assert.True(outbox.GetProperty("failedLast24Hours").GetInt64() >= 1);
        Assert.True(outbox.GetProperty("oldestDueSeconds").GetDouble() >= 600);
        Assert.Equal(["status"], Fields(anonymous));
    }

    [Fact]
    public async Task ASignedInAdminGetsTheDetailsAndADoctorDoesNot()
    {
        await using var portal = new PortalFactory(database.ConnectionString);
        using var admin = AccountHttp.Client(portal);
        await AccountHttp.SignInAsync(admin, SignIn.AdminEmail, SignIn.AdminPassword);
        using var doctor = AccountHttp.Client(portal);
        await AccountHttp.SignInAsync(doctor, SignIn.DoctorEmail, SignIn.DoctorPassword);

        var (_, forAdmin) = await GetHealthAsync(admin, token: null);
        var (_, forDoctor) = await GetHealthAsync(doctor, token: null);

        Assert.StartsWith("15", forAdmin.GetProperty("database").GetProperty("serverVersion").GetString());
        Assert.True(forAdmin.GetProperty("migrations").GetProperty("current").GetBoolean());
        Assert.Equal(["status"], Fields(forDoctor));
    }

    [Fact]
    public async Task HealthyWhenTheDatabaseAnswersAndEveryMigrationIsApplied()
    {
        await using var portal = new PortalFactory(database.ConnectionString, WithToken);

        var (status, body) = await GetHealthAsync(portal);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.True(body.GetProperty("database").GetProperty("reachable").GetBoolean());
        Assert.True(body.GetProperty("database").GetProperty("latencyMs").GetDouble() >= 0);
        Assert.StartsWith("15", body.GetProperty("database").GetProperty("serverVersion").GetString());
        Assert.True(body.GetProperty("migrations").GetProperty("current").GetBoolean());
    }

    [Fact]
    public async Task UnavailableWhenTheDatabaseCannotBeReached()
    {
        await using var portal = new PortalFactory("Host=127.0.0.1;Port=1;Database=nowhere;Username=u;Password=p;Timeout=2", WithToken);

        var (status, body) = await GetHealthAsync(portal);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("unhealthy", body.GetProperty("status").GetString());
        Assert.False(body.GetProperty("database").GetProperty("reachable").GetBoolean());
        Assert.Contains(body.GetProperty("live").GetProperty("state").GetString(), new[] { "starting", "reconnecting" });
    }

    [Fact]
    public async Task ADatabaseHostThatAcceptsButNeverAnswersGets503MarkedAsNoAnswerWithinTheBound()
    {
        await using var silent = new SilentHost();
        // Npgsql's own connection timeout is longer than /health's bound: only the bound can end the check.
        await using var portal = new PortalFactory($"Host=127.0.0.1;Port={silent.Port};Database=x;Username=u;Password=p",
            new Dictionary<string, string?>(WithToken) { ["POSTGRES_CONNECTION_TIMEOUT"] = "5000" });
        Assert.True(HealthEndpoints.AnswerWithin < TimeSpan.FromSeconds(5));

        var (status, body) = await GetHealthAsync(portal);
        var (anonymousStatus, anonymous) = await GetHealthAsync(portal, token: null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("unhealthy", body.GetProperty("status").GetString());
        Assert.True(body.GetProperty("database").GetProperty("timedOut").GetBoolean());
        Assert.False(body.GetProperty("database").GetProperty("reachable").GetBoolean());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, anonymousStatus);
        Assert.Equal(["status"], Fields(anonymous));
    }

    [Fact]
    public async Task ReportsTheLiveUpdateListenerOnceItListens()
    {
        await using var portal = new PortalFactory(database.ConnectionString, WithToken);
        var hub = portal.Services.GetRequiredService<LiveEventHub>();
        await Wait.UntilAsync(() => hub.State == LiveListenerState.Listening, "the listener");

        var (_, body) = await GetHealthAsync(portal);

        var live = body.GetProperty("live");
        Assert.Equal("listening", live.GetProperty("state").GetString());
        Assert.Equal(0, live.GetProperty("reconnects").GetInt32());
        Assert.True(live.GetProperty("eventsLastMinute").GetInt32() >= 0);
    }

    [Fact]
    public async Task UnavailableWhileAMigrationIsPending()
    {
        var folder = Directory.CreateTempSubdirectory("health-migrations-").FullName;
        foreach (var file in Directory.GetFiles(PostgresServer.MigrationsFolder))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        File.WriteAllText(Path.Combine(folder, "999_pending.sql"), "CREATE TABLE later (id int);");
        await using var portal = new PortalFactory(database.ConnectionString, new Dictionary<string, string?>(WithToken) { ["MIGRATIONS_DIR"] = folder });

        var (status, body) = await GetHealthAsync(portal);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("999_pending.sql", body.GetProperty("migrations").GetProperty("pending")[0].GetString());
        Directory.Delete(folder, recursive: true);
    }
}
