using MediConnect.Portal.Data;
using MediConnect.Portal.Tests.Fixtures;
using Npgsql;

namespace MediConnect.Portal.Tests.Data;

/// <summary>
/// The runbook of docs/operations/high-availability.md followed as written, on a real Patroni
/// cluster (<see cref="PatroniCluster"/>): its shell lines are read from the page and run, with
/// only the machine's paths swapped for the test nodes' folders (<c>systemctl</c> becomes starting
/// or stopping the node's Patroni). A step the test does not know fails it, so the page cannot
/// drift from what was tried.
/// </summary>
public sealed class HighAvailabilityRunbookTests(HighAvailabilityRunbookTests.Cluster fixture) : IClassFixture<HighAvailabilityRunbookTests.Cluster>
{
    const string Page = "high-availability.md";
    readonly PatroniCluster _cluster = fixture.Patroni;

    /// <summary>One cluster for the class; each test starts from a healthy one and saves notes of its own.</summary>
    public sealed class Cluster : IAsyncLifetime
    {
        public PatroniCluster Patroni { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            DapperConventions.Apply();
            Patroni = await PatroniCluster.StartAsync();
            await ReplicatedPostgres.ExecuteAsync(Patroni.ConnectionString(), "CREATE TABLE visits (note text PRIMARY KEY)");
        }

        public async ValueTask DisposeAsync()
        {
            if (Patroni is not null)
                await Patroni.DisposeAsync();
        }
    }

    [Fact]
    public async Task TheRunbooksSwitchoverMovesTheLeadershipToItsSyncStandbyWithEverySaveOnIt()
    {
        await _cluster.WaitUntilHealthyAsync();
        await SaveAsync("before the switchover");
        var leader = await _cluster.LeaderAsync();
        var standby = _cluster.Nodes.Single(n => n != leader);

        await FollowAsync("Planned switchover", leader, standby);

        var view = await _cluster.WaitAsync(s => s.Leader is not null, "a leader after the switchover");
        Assert.Equal(standby.Name, view.Leader!.Name);
        await SaveOnceWritableAsync("after the switchover");
        Assert.Superset(new HashSet<string> { "after the switchover", "before the switchover" }, (await NotesOnAsync(standby)).ToHashSet());
    }

    [Fact]
    public async Task TheRunbooksReplicaReplacementRebuildsADeadReplicaWhileTheLeaderKeepsSaving()
    {
        await _cluster.WaitUntilHealthyAsync();
        var leader = await _cluster.LeaderAsync();
        var replica = _cluster.Nodes.Single(n => n != leader);
        await replica.DisposeAsync(); // the machine is lost: Patroni and PostgreSQL gone at once

        // With its only synchronous standby gone, the leader saves on its own (synchronous_mode, not strict).
        await SaveAsync("while the replica is dead");
        await FollowAsync("Replacing a dead replica", leader, replica);

        await _cluster.WaitUntilHealthyAsync();
        Assert.Contains("while the replica is dead", await NotesOnAsync(replica));
    }

    /// <summary>Runs the <c>sh</c> block under the page's heading <paramref name="heading"/>, naming <c>pg1</c> the leader and <c>pg2</c> the other node.</summary>
    async Task FollowAsync(string heading, PatroniNode leader, PatroniNode other)
    {
        foreach (var step in Steps(heading))
        {
            var line = step.Replace("pg1", "LEADER_NAME").Replace("pg2", other.Name).Replace("LEADER_NAME", leader.Name)
                .Replace("/etc/patroni/patroni.yml", other.ConfigFile)
                .Replace("/var/lib/postgresql/15/main", other.DataFolder);
            switch (line)
            {
                case "systemctl stop patroni":
                    await other.StopAsync();
                    break;
                case "systemctl start patroni":
                    other.Start();
                    break;
                case var command when command.StartsWith("patronictl ", StringComparison.Ordinal) || command.StartsWith($"rm -rf {other.DataFolder}", StringComparison.Ordinal):
                    await ExternalProgram.RunCheckedAsync("bash", ["-c", command], asPostgres: true);
                    break;
                default:
                    Assert.Fail($"The runbook's step '{step}' ({Page}, {heading}) is one this test does not know how to follow.");
                    break;
            }
        }
    }

    static IEnumerable<string> Steps(string heading)
    {
        var lines = File.ReadAllLines(Repository.PathOf("docs", "operations", Page));
        var start = Array.IndexOf(lines, $"### {heading}");
        Assert.True(start >= 0, $"{Page} has no heading '### {heading}'.");
        var open = Array.IndexOf(lines, "```sh", start);
        var close = Array.IndexOf(lines, "```", open + 1);
        Assert.True(open > start && close > open, $"{Page}, {heading}: no sh block.");
        return lines[(open + 1)..close].Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'));
    }

    Task SaveAsync(string note) =>
        ReplicatedPostgres.ExecuteAsync(_cluster.ConnectionString(), $"INSERT INTO visits (note) VALUES ('{note}')");

    /// <summary>
    /// Saves as soon as the cluster takes writes again: Patroni names the new leader a moment before
    /// the old one has restarted as a replica, and until then (or until Npgsql rechecks its hosts)
    /// a connection may still land on the old one, now read-only.
    /// </summary>
    async Task SaveOnceWritableAsync(string note)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            try
            {
                await SaveAsync(note);
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ReadOnlySqlTransaction)
            {
                await Task.Delay(200, timeout.Token);
            }
        }
    }

    async Task<string[]> NotesOnAsync(PatroniNode node)
    {
        await using var dataSource = NpgsqlDataSource.Create(_cluster.NodeConnectionString(node));
        return [.. await dataSource.QueryListAsync<string>("SELECT note FROM visits ORDER BY note")];
    }
}
