using MediConnect.Portal.Data;
using MediConnect.Portal.Tests.Fixtures;
using Npgsql;

namespace MediConnect.Portal.Tests.Data;

public sealed class PoolStatisticsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task FiguresFollowConnectionsTakenAndReturned()
    {
        var settings = new DatabaseSettings(
            new NpgsqlConnectionStringBuilder(database.ConnectionString) { MaxPoolSize = 7, MinPoolSize = 0 }.ConnectionString,
            false, TimeSpan.FromSeconds(1));
        await using var dataSource = new NpgsqlDataSourceBuilder(settings.ConnectionString) { Name = settings.PoolName }.Build();
        using var pool = new PoolStatistics(settings, TimeProvider.System);

        var held = new List<NpgsqlConnection>();
        for (var i = 0; i < 3; i++)
            held.Add(await dataSource.OpenConnectionAsync());
        var busy = pool.Snapshot();
        foreach (var connection in held)
            await connection.DisposeAsync();
        var returned = pool.Snapshot();

        Assert.Equal((3, 0, 3, 7), (busy.Busy, busy.Idle, busy.Total, busy.Max));
        Assert.Equal((0, 3, 3), (returned.Busy, returned.Idle, returned.Total));
    }

    [Fact]
    public async Task WaitingCountsRequestsQueuedForAFullPool()
    {
        var settings = new DatabaseSettings(
            new NpgsqlConnectionStringBuilder(database.ConnectionString) { MaxPoolSize = 1, MinPoolSize = 0, Timeout = 30 }.ConnectionString,
            false, TimeSpan.FromSeconds(1));
        await using var dataSource = new NpgsqlDataSourceBuilder(settings.ConnectionString) { Name = settings.PoolName }.Build();
        using var pool = new PoolStatistics(settings, TimeProvider.System);

        var only = await dataSource.OpenConnectionAsync();
        var waiter = dataSource.OpenConnectionAsync().AsTask();
        await WaitUntilAsync(() => pool.Snapshot().Waiting == 1);
        var full = pool.Snapshot();
        await only.DisposeAsync();
        await (await waiter).DisposeAsync();

        Assert.Equal((1, 1, 1), (full.Waiting, full.Busy, full.Max));
        Assert.Equal(0, pool.Snapshot().Waiting);
    }

    static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
            await Task.Delay(50);
    }
}
