using MediConnect.Portal.Data;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace MediConnect.Portal.Tests.Components.Errors;

public sealed class OutageLogTests
{
    static readonly NpgsqlException PoolTimeout = new(
        "The connection pool has been exhausted, either raise 'Max Pool Size' (currently 2) or 'Timeout' (currently 1 seconds) in your connection string.",
        new TimeoutException());

    [Fact]
    public void ABurstOfPoolTimeoutsIsOneWarningWithThePoolFiguresNotAStackTracePerRequest()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var logger = new ListLogger<OutageLog>();
        var settings = DatabaseSettings.From(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Database=x;Username=u",
        }).Build());
        using var pool = new PoolStatistics(settings, clock);
        var log = new OutageLog(logger, pool, clock);

        for (var i = 0; i < 50; i++)
            log.Record(OutageKind.PoolExhausted, PoolTimeout);

        var line = Assert.Single(logger.Lines);
        Assert.StartsWith("Warning: Database connection pool exhausted", line);
        Assert.Contains("busy /", line);
        Assert.DoesNotContain(" at ", line);

        clock.Advance(OutageLog.Calm + TimeSpan.FromSeconds(1));
        log.Record(OutageKind.PoolExhausted, PoolTimeout);

        Assert.Equal(2, logger.Lines.Count);
        Assert.Contains("49 more since the last line", logger.Lines[1]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void OutagesAreToldFromFailuresOfTheRequestItself(bool outage)
    {
        Exception error = outage
            ? new NpgsqlException("Failed to connect to 127.0.0.1:5432", new System.Net.Sockets.SocketException(111))
            : new PostgresException("invalid byte sequence for encoding \"UTF8\": 0x00", "ERROR", "ERROR", "22021");

        Assert.Equal(outage ? OutageKind.Unreachable : null, DatabaseOutage.Classify(new InvalidOperationException("wrapped", error)));
        Assert.Equal(OutageKind.PoolExhausted, DatabaseOutage.Classify(PoolTimeout));
        Assert.True(DatabaseOutage.IsDatabaseError(error));
    }
}
