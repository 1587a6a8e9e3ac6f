using System.Text.RegularExpressions;
using MediConnect.Portal.Data;
using MediConnect.Portal.Tests.Fixtures;
using Npgsql;

namespace MediConnect.Portal.Tests.Data;

public sealed class SlowQueryLogTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    (NpgsqlDataSource DataSource, DatabaseSettings Settings) PortalDataSource(int thresholdMs)
    {
        var settings = new DatabaseSettings(database.ConnectionString, false, TimeSpan.FromMilliseconds(thresholdMs));
        var builder = new NpgsqlDataSourceBuilder(settings.ConnectionString) { Name = settings.PoolName };
        return (builder.Build(), settings);
    }

    [Fact]
    public async Task CommandOverTheThresholdIsLoggedWithDurationAndSqlButNoParameterValues()
    {
        var (dataSource, settings) = PortalDataSource(thresholdMs: 100);
        await using var _ = dataSource;
        var logger = new ListLogger<SlowQueryLog>();
        using var slowQueries = new SlowQueryLog(settings, logger);

        await dataSource.QueryOneAsync<string>("SELECT @secret::text FROM pg_sleep(0.3)", new { secret = "s3cret-diagnosis" });

        var line = Assert.Single(logger.Lines);
        Assert.True(Regex.IsMatch(line, @"Slow query took \d+ ms \(threshold 100 ms\): SELECT @secret::text FROM pg_sleep\(0\.3\)"), line);
        Assert.DoesNotContain("s3cret-diagnosis", line);
        Assert.Equal(1, slowQueries.Count);
    }

    [Fact]
    public async Task CommandUnderTheThresholdIsNotLogged()
    {
        var (dataSource, settings) = PortalDataSource(thresholdMs: 5_000);
        await using var _ = dataSource;
        var logger = new ListLogger<SlowQueryLog>();
        using var slowQueries = new SlowQueryLog(settings, logger);

        await dataSource.QueryOneAsync<int>("SELECT 1");

        Assert.Empty(logger.Lines);
        Assert.Equal(0, slowQueries.Count);
    }
}
