using MediConnect.Portal.Data;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace MediConnect.Portal.Tests.Data;

/// <summary>
/// The fallback rules of lag-tolerant reads, with a standby that is not there (a closed port) or
/// one that answers (here the primary's own database). A real streaming standby is used in
/// ScaleOutJourneyTests.
/// </summary>
public sealed class LagTolerantReadsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    const string CountUsersSql = "SELECT count(*) FROM users";
    readonly FakeTimeProvider _time = new();

    NpgsqlDataSource Unreachable() => NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(database.ConnectionString)
    {
        Port = LocalPostgresCluster.FreePort(), // nothing listens there
        Timeout = 2,
    }.ConnectionString);

    LagTolerantReads Reads(NpgsqlDataSource standby) =>
        new(database.DataSource, standby, TimeSpan.FromSeconds(10), _time, NullLogger.Instance);

    [Fact]
    public async Task AStandbyThatIsNotThereIsSkippedAndTheReadComesFromThePrimary()
    {
        await using var standby = Unreachable();
        await using var reads = Reads(standby);

        var users = await reads.QueryOneAsync<long>(CountUsersSql);
        var status = await reads.DescribeAsync();

        Assert.Equal(await database.DataSource.QueryOneAsync<long>(CountUsersSql), users);
        Assert.False(status.ServedByStandby);
        Assert.True(status.StandbyConfigured);
        Assert.False(string.IsNullOrEmpty(status.StandbyError));
    }

    [Fact]
    public async Task AReadTheStandbyCancelsIsRepeatedOnThePrimaryAndTheStandbyIsTriedAgainAfterTheInterval()
    {
        // Fails with 40001, as a standby cancels a query for a recovery conflict, on the "standby" connection only.
        await database.DataSource.ExecuteAsync("""
            CREATE OR REPLACE FUNCTION fail_on_standby() RETURNS int LANGUAGE plpgsql AS $$
            BEGIN
                IF current_setting('application_name') = 'standby' THEN
                    RAISE EXCEPTION 'canceling statement due to conflict with recovery' USING ERRCODE = '40001';
                END IF;
                RETURN 1;
            END $$
            """);
        await using var standby = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(database.ConnectionString) { ApplicationName = "standby" }.ConnectionString);
        await using var reads = Reads(standby);
        Assert.True((await reads.DescribeAsync()).ServedByStandby);

        Assert.Equal([1], await reads.QueryListAsync<int>("SELECT fail_on_standby()"));
        var skipped = await reads.DescribeAsync();
        _time.Advance(TimeSpan.FromSeconds(11));
        var again = await reads.DescribeAsync();

        Assert.False(skipped.ServedByStandby);
        Assert.Contains("conflict with recovery", skipped.StandbyError);
        Assert.True(again.ServedByStandby);
        Assert.Null(again.StandbyError);
    }

    [Fact]
    public async Task AMistakeInTheQueryIsNotHiddenByAReadFromThePrimary()
    {
        await using var standby = NpgsqlDataSource.Create(database.ConnectionString);
        await using var reads = Reads(standby);

        await Assert.ThrowsAsync<PostgresException>(() => reads.QueryListAsync<long>("SELECT count(*) FROM no_such_table"));
        Assert.True((await reads.DescribeAsync()).ServedByStandby); // the standby is still in use
    }

    [Fact]
    public async Task WithoutAStandbyEveryReadGoesToThePrimary()
    {
        await using var reads = LagTolerantReads.PrimaryOnly(database.DataSource);

        var status = await reads.DescribeAsync();

        Assert.Equal((false, false, false, null), (status.StandbyConfigured, status.ServedByStandby, status.InRecovery, status.StandbyError));
    }
}
