using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Admin.Health;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace MediConnect.Portal.Tests.Features.Admin.Health;

public sealed class DatabaseHealthServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    /// <summary>The service over a pool of its own, named as the portal names it, so its figures are this test's alone.</summary>
    async Task<(DatabaseHealthService Service, NpgsqlDataSource DataSource, IDisposable[] Owned)> ServiceAsync(TimeProvider? clock = null)
    {
        var settings = new DatabaseSettings(
            new NpgsqlConnectionStringBuilder(database.ConnectionString) { MaxPoolSize = 8, MinPoolSize = 0, ApplicationName = "admin-health-test" }.ConnectionString,
            false, TimeSpan.FromSeconds(1));
        var dataSource = new NpgsqlDataSourceBuilder(settings.ConnectionString) { Name = settings.PoolName }.Build();
        var pool = new PoolStatistics(settings, TimeProvider.System);
        var slow = new SlowQueryLog(settings, NullLogger<SlowQueryLog>.Instance);
        var admin = await database.SignedInAsync(SignIn.AdminEmail);
        var sampler = new DatabaseHealthSampler(dataSource, LagTolerantReads.PrimaryOnly(dataSource), new DatabaseProbe(dataSource, NullLogger<DatabaseProbe>.Instance), slow, clock ?? TimeProvider.System);
        var service = new DatabaseHealthService(admin, pool, sampler);
        return (service, dataSource, [pool, slow, dataSource]);
    }

    [Fact]
    public async Task PoolFiguresChangeWhileConnectionsAreHeld()
    {
        var (service, dataSource, owned) = await ServiceAsync();
        try
        {
            var held = new List<NpgsqlConnection>();
            for (var i = 0; i < 3; i++)
                held.Add(await dataSource.OpenConnectionAsync());
            var busy = await service.GetPoolAsync();
            foreach (var connection in held)
                await connection.DisposeAsync();
            var released = await service.GetPoolAsync();

            Assert.Equal((3, 8), (busy.Busy, busy.Max));
            Assert.Equal((0, 3), (released.Busy, released.Idle));
        }
        finally
        {
            foreach (var o in owned) o.Dispose();
        }
    }

    [Fact]
    public async Task HealthShowsLatencyVersionSizesAndConnectionsWithoutQueryText()
    {
        var (service, dataSource, owned) = await ServiceAsync();
        try
        {
            await using var held = await dataSource.OpenConnectionAsync();
            var health = await service.GetHealthAsync();
            var tables = await service.GetTableSizesAsync();

            Assert.True(health.Connection.Reachable);
            Assert.False(string.IsNullOrEmpty(health.Connection.ServerVersion));
            Assert.True(health.DatabaseSizeBytes > 1_000_000);
            Assert.Contains(health.Connections, c => c.ApplicationName == "admin-health-test" && c.Usename is not null);
            Assert.Equal(0, health.SlowQueries);
            Assert.Equal((false, false, false), (health.Reads!.StandbyConfigured, health.Reads.ServedByStandby, health.Reads.InRecovery)); // no standby: the primary
            Assert.Contains(tables, t => t.TableName == "users" && t.TotalBytes >= t.TableBytes && t.TotalBytes > 0);
            Assert.Contains(tables, t => t.TableName == "audit_log");
            Assert.DoesNotContain(typeof(ActiveConnection).GetProperties(), p => p.Name.Contains("Query", StringComparison.Ordinal) && p.Name != "QueryStart");
        }
        finally
        {
            foreach (var o in owned) o.Dispose();
        }
    }

    [Fact]
    public async Task OpenPagesShareOneReadingPerRefreshInterval()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (service, dataSource, owned) = await ServiceAsync(clock);
        try
        {
            var first = await service.GetHealthAsync();
            await using var latecomer = new NpgsqlConnection(
                new NpgsqlConnectionStringBuilder(database.ConnectionString) { ApplicationName = "health-latecomer", Pooling = false }.ConnectionString);
            await latecomer.OpenAsync();

            var sameInterval = await Task.WhenAll(service.GetHealthAsync(), service.GetHealthAsync());
            clock.Advance(DatabaseHealthSampler.Interval);
            var nextInterval = await service.GetHealthAsync();

            Assert.All(sameInterval, health => Assert.Same(first, health));
            Assert.DoesNotContain(first.Connections, c => c.ApplicationName == "health-latecomer");
            Assert.Contains(nextInterval.Connections, c => c.ApplicationName == "health-latecomer");
            Assert.Equal(first.SampledAt + DatabaseHealthSampler.Interval, nextInterval.SampledAt);
        }
        finally
        {
            foreach (var o in owned) o.Dispose();
        }
    }
}
