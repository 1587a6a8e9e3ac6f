using System.Diagnostics;
using System.Globalization;
using MediConnect.Portal.Data;
using MediConnect.Portal.Tests.Fixtures;
using Npgsql;

namespace MediConnect.Portal.Tests.Benchmarks;

/// <summary>
/// Measures (never asserts) what a failover and synchronous replication cost on the
/// <see cref="PatroniCluster"/> of docs/operations/high-availability.md (etcd, two Patroni-managed
/// PostgreSQL 15 nodes, the tested timing keys): with <c>synchronous_mode</c> true and false (set
/// through Patroni's REST <c>PATCH /config</c>), three runs each of 200 committed INSERTs (p50/p95)
/// through the portal's multi-host connection string and data-source code, then a kill -9 of the
/// leader's postmaster under a writer inserting without pause: the outage window is the seconds
/// from the kill to the first INSERT acknowledged by another node. Skipped unless
/// MEDICONNECT_BENCH=1 (see bench.sh); the figures go to the test output and to MEDICONNECT_BENCH_OUT.
/// </summary>
public sealed class FailoverBenchmark
{
    const int Runs = 3;
    const int Inserts = 200;
    static readonly HttpClient Rest = new() { Timeout = TimeSpan.FromSeconds(5) };

    const string CreateTable = "CREATE TABLE bench_writes (id bigserial PRIMARY KEY, written_at timestamptz NOT NULL DEFAULT now())";
    const string Insert = "INSERT INTO bench_writes DEFAULT VALUES RETURNING inet_server_port()";

    [Fact]
    public async Task MeasureOutageWindowAndWriteLatencyWithAndWithoutSynchronousReplication()
    {
        Assert.SkipUnless(Environment.GetEnvironmentVariable("MEDICONNECT_BENCH") == "1", "Benchmark: run ./bench.sh failover (MEDICONNECT_BENCH=1).");
        DapperConventions.Apply();
        await using var cluster = await PatroniCluster.StartAsync();
        await using var db = NpgsqlDataSource.Create(cluster.ConnectionString());
        await db.ExecuteAsync(CreateTable);

        var lines = new List<string>
        {
            "Failover: Patroni 2 nodes + etcd on loopback (ttl 10, loop_wait 1, retry_timeout 4, primary_start_timeout 0), kill -9 of the leader's postmaster, 2-core machine",
            $"{"synchronous_mode",-17} {"figure",-36} {"min",8} {"median",8} {"max",8}",
        };
        foreach (var synchronous in new[] { true, false })
        {
            await SetSynchronousModeAsync(cluster, synchronous);
            var outages = new List<double>();
            var p50s = new List<double>();
            var p95s = new List<double>();
            for (var run = 0; run < Runs; run++)
            {
                await WaitUntilReplicatedAsync(cluster, synchronous);
                var times = await Timing.TimeAsync(() => db.InsertReturningAsync<int>(Insert), Inserts);
                var sorted = times.Order().ToList();
                p50s.Add(sorted[sorted.Count / 2]);
                p95s.Add(sorted[(int)Math.Ceiling(sorted.Count * 0.95) - 1]);
                outages.Add(await OutageSecondsAsync(cluster, db));
            }
            lines.Add(Row(synchronous, "outage window, kill to next write (s)", outages, "F1"));
            lines.Add(Row(synchronous, $"INSERT commit p50 (ms, {Inserts} a run)", p50s, "F2"));
            lines.Add(Row(synchronous, $"INSERT commit p95 (ms, {Inserts} a run)", p95s, "F2"));
        }
        await WaitUntilReplicatedAsync(cluster, synchronous: false);

        var text = string.Join('\n', lines) + "\n";
        TestContext.Current.SendDiagnosticMessage(text);
        await File.AppendAllTextAsync(Environment.GetEnvironmentVariable("MEDICONNECT_BENCH_OUT") ?? "/tmp/mediconnect-bench.txt", text);
    }

    static string Row(bool synchronous, string figure, List<double> values, string format)
    {
        var sorted = values.Order().ToList();
        string F(double v) => v.ToString(format, CultureInfo.InvariantCulture);
        return $"{(synchronous ? "true" : "false"),-17} {figure,-36} {F(sorted[0]),8} {F(sorted[sorted.Count / 2]),8} {F(sorted[^1]),8}";
    }

    /// <summary>The operator's switch: Patroni's dynamic configuration, <c>PATCH /config</c> on any node.</summary>
    static async Task SetSynchronousModeAsync(PatroniCluster cluster, bool synchronous)
    {
        // Patroni wants a Content-Length (411 to a chunked body), so the JSON is sent as a string.
        using var body = new StringContent(synchronous ? """{"synchronous_mode": true}""" : """{"synchronous_mode": false}""", System.Text.Encoding.UTF8, "application/json");
        using var response = await Rest.PatchAsync($"{cluster.Nodes[0].RestUrl}/config", body);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A leader, the other node streaming with no lag, as a sync standby exactly when synchronous_mode is on.</summary>
    static Task WaitUntilReplicatedAsync(PatroniCluster cluster, bool synchronous) => cluster.WaitAsync(s =>
            s.Leader is not null && s.Members.Count == cluster.Nodes.Count
            && s.Members.All(m => m.State is "running" or "streaming")
            && s.Members.Where(m => m != s.Leader).All(m => m.Role == (synchronous ? "sync_standby" : "replica") && m.Lag?.ToString() == "0"),
        $"a leader and its {(synchronous ? "synchronous" : "asynchronous")} standby, in sync", TimeSpan.FromMinutes(3));

    /// <summary>
    /// A writer inserts without pause (a failed attempt is retried after 10 ms); the leader's
    /// postmaster is killed; returns the seconds from the kill to the first INSERT another node
    /// acknowledged (the port the server reports).
    /// </summary>
    static async Task<double> OutageSecondsAsync(PatroniCluster cluster, NpgsqlDataSource db)
    {
        var clock = Stopwatch.StartNew();
        var killedAt = TimeSpan.MaxValue;
        var oldPort = (await cluster.LeaderAsync()).PostgresPort;
        TimeSpan? resumedAt = null;
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var port = await db.InsertReturningAsync<int>(Insert, ct: stop.Token);
                    if (port != oldPort && resumedAt is null)
                        resumedAt = clock.Elapsed;
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
                {
                    await Task.Delay(10, CancellationToken.None); // a write attempt rate during the outage, not a wait for state
                }
            }
        });
        killedAt = clock.Elapsed;
        await cluster.KillLeaderPostmasterAsync();
        await Wait.UntilAsync(() => resumedAt is not null || writer.IsFaulted, "a write acknowledged by the new leader", TimeSpan.FromMinutes(3));
        await stop.CancelAsync();
        await writer;
        return (resumedAt!.Value - killedAt).TotalSeconds;
    }
}
