using System.Net;
using System.Text.Json;
using MediConnect.Portal.Features.Shared.Live;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace MediConnect.Portal.Tests.Features.Admin.Health;

public sealed class HealthEndpointTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    static async Task<(HttpStatusCode Status, JsonElement Body)> GetHealthAsync(PortalFactory portal)
    {
        using var client = portal.CreateClient();
        using var response = await client.GetAsync("/health");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (response.StatusCode, body);
    }

    [Fact]
    public async Task HealthyWhenTheDatabaseAnswersAndEveryMigrationIsApplied()
    {
        await using var portal = new PortalFactory(database.ConnectionString);

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
        await using var portal = new PortalFactory("Host=127.0.0.1;Port=1;Database=nowhere;Username=u;Password=p;Timeout=2");

        var (status, body) = await GetHealthAsync(portal);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("unhealthy", body.GetProperty("status").GetString());
        Assert.False(body.GetProperty("database").GetProperty("reachable").GetBoolean());
        Assert.Contains(body.GetProperty("live").GetProperty("state").GetString(), new[] { "starting", "reconnecting" });
    }

    [Fact]
    public async Task ReportsTheLiveUpdateListenerOnceItListens()
    {
        await using var portal = new PortalFactory(database.ConnectionString);
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
        await using var portal = new PortalFactory(database.ConnectionString, new Dictionary<string, string?> { ["MIGRATIONS_DIR"] = folder });

        var (status, body) = await GetHealthAsync(portal);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("999_pending.sql", body.GetProperty("migrations").GetProperty("pending")[0].GetString());
        Directory.Delete(folder, recursive: true);
    }
}
