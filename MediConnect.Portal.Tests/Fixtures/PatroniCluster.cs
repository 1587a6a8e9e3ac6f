using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using MediConnect.Portal.Data;
using Npgsql;

namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>
/// The high-availability topology of docs/operations/high-availability.md, every part a real
/// program on loopback: one etcd member (its own data folder and ports) and PostgreSQL 15 nodes
/// managed by Patroni (as root, Patroni and PostgreSQL run as the <c>postgres</c> user), with
/// <c>synchronous_mode: true</c>. The configuration written here is the one the page documents;
/// only <c>fsync</c> is off (throwaway data). The database <see cref="Database"/> is created empty
/// on the leader: the portal migrates it.
/// </summary>
public sealed class PatroniCluster : IAsyncDisposable
{
    public const string Database = "mediconnect";
    public const string Scope = "mediconnect";
    internal const string Password = "patroni-test-superuser";
    static readonly HttpClient Rest = new() { Timeout = TimeSpan.FromSeconds(3) };

    readonly string _folder;
    readonly ExternalProgram _etcd;
    readonly PatroniNode[] _nodes;

    PatroniCluster(string folder, ExternalProgram etcd, int etcdPort, PatroniNode[] nodes)
    {
        _folder = folder;
        _etcd = etcd;
        EtcdPort = etcdPort;
        _nodes = nodes;
    }

    public int EtcdPort { get; }
    public IReadOnlyList<PatroniNode> Nodes => _nodes;

    /// <summary>Npgsql multi-host: every node, writes to whichever is the primary now.</summary>
    public string ConnectionString(string targetSessionAttributes = "primary") => new NpgsqlConnectionStringBuilder
    {
        Host = string.Join(',', _nodes.Select(n => $"127.0.0.1:{n.PostgresPort}")),
        Database = Database,
        Username = "postgres",
        Password = Password,
        TargetSessionAttributes = targetSessionAttributes,
    }.ConnectionString;

    /// <summary>One node's database, directly (whatever its role).</summary>
    public string NodeConnectionString(PatroniNode node) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = node.PostgresPort,
        Database = Database,
        Username = "postgres",
        Password = Password,
        Pooling = false,
    }.ConnectionString;

    /// <summary>Every node's REST API, comma-separated, as <c>PATRONI_REST_URLS</c> takes them.</summary>
    public string RestUrls => string.Join(',', _nodes.Select(n => n.RestUrl));

    public static async Task<PatroniCluster> StartAsync(int nodeCount = 2)
    {
        var folder = ExternalProgram.NewFolder("patroni");
        var etcdPort = LocalPostgresCluster.FreePort();
        var peerPort = LocalPostgresCluster.FreePort();
        var etcd = ExternalProgram.Start(ExternalProgram.Find("etcd", "etcd-server"),
        [
            "--name", "test", "--data-dir", Path.Combine(folder, "etcd"),
            "--listen-client-urls", $"http://127.0.0.1:{etcdPort}", "--advertise-client-urls", $"http://127.0.0.1:{etcdPort}",
            "--listen-peer-urls", $"http://127.0.0.1:{peerPort}", "--initial-advertise-peer-urls", $"http://127.0.0.1:{peerPort}",
            "--initial-cluster", $"test=http://127.0.0.1:{peerPort}", "--initial-cluster-state", "new",
        ]);
        var nodes = Enumerable.Range(0, nodeCount)
            .Select(i => new PatroniNode($"pg{i + 1}", Path.Combine(folder, $"pg{i + 1}"), LocalPostgresCluster.FreePort(), LocalPostgresCluster.FreePort()))
            .ToArray();
        var cluster = new PatroniCluster(folder, etcd, etcdPort, nodes);
        try
        {
            await etcd.WaitForPortAsync(etcdPort, TimeSpan.FromSeconds(30));
            foreach (var node in nodes)
                node.WriteConfiguration(etcdPort);
            // The first node bootstraps the cluster (initdb); the others then clone it with pg_basebackup.
            nodes[0].Start();
            await cluster.WaitAsync(s => s.Leader is not null, "the first node to bootstrap and lead");
            foreach (var node in nodes[1..])
                node.Start();
            await cluster.WaitUntilHealthyAsync();
            var leader = new NpgsqlConnectionStringBuilder(cluster.NodeConnectionString(await cluster.LeaderAsync())) { Database = "postgres" };
            await ReplicatedPostgres.ExecuteAsync(leader.ConnectionString, $"CREATE DATABASE {Database}");
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The members as Patroni's REST API <c>/cluster</c> reports them, asked of any node that answers.</summary>
    public async Task<ClusterView> StateAsync()
    {
        foreach (var node in _nodes)
        {
            try
            {
                var view = await Rest.GetFromJsonAsync<ClusterView>($"{node.RestUrl}/cluster");
                if (view is not null)
                    return view;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException) { } // that node is down
        }
        return new ClusterView([]);
    }

    /// <summary>
    /// Waits until there is a leader and every other node is its streaming synchronous standby with
    /// no lag: only then may the leader be lost without losing an acknowledged write (a standby that
    /// is not yet the sync standby is not allowed to take over).
    /// </summary>
    public Task<ClusterView> WaitUntilHealthyAsync() => WaitAsync(s =>
            s.Leader is not null && s.Members.Count == _nodes.Length
            && s.Members.All(m => m.State is "running" or "streaming")
            && s.Members.Where(m => m != s.Leader).All(m => m.Role == "sync_standby" && m.Lag is { } lag && lag.ToString() == "0"),
        "a leader with every other node its synchronous standby, in sync");

    public async Task<ClusterView> WaitAsync(Func<ClusterView, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            var view = await StateAsync();
            if (condition(view))
                return view;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Waited in vain for {what}. The cluster: {string.Join("; ", view.Members)}.\n{Logs()}");
            await Task.Delay(200);
        }
    }

    public async Task<PatroniNode> LeaderAsync() => Node((await WaitAsync(s => s.Leader is not null, "a leader")).Leader!.Name);

    public PatroniNode Node(string name) => _nodes.Single(n => n.Name == name);

    /// <summary>kill -9 of the leader's postmaster, as a crash would: Patroni sees PostgreSQL gone and (primary_start_timeout 0) fails over.</summary>
    public async Task<PatroniNode> KillLeaderPostmasterAsync()
    {
        var leader = await LeaderAsync();
        var pid = File.ReadLines(Path.Combine(leader.DataFolder, "postmaster.pid")).First().Trim();
        await ExternalProgram.RunCheckedAsync("kill", ["-KILL", pid]);
        return leader;
    }

    /// <summary>Stops the leader's Patroni (SIGTERM, as <c>systemctl stop patroni</c>): it shuts PostgreSQL down and gives up the leader key.</summary>
    public async Task<PatroniNode> StopLeaderPatroniAsync()
    {
        var leader = await LeaderAsync();
        await leader.StopAsync();
        return leader;
    }

    /// <summary>Runs <c>patronictl</c> against the cluster's configuration, as the runbook does; returns its output.</summary>
    public Task<string> PatronictlAsync(params string[] arguments) =>
        ExternalProgram.RunCheckedAsync(ExternalProgram.Find("patronictl", "patroni"), ["-c", _nodes[0].ConfigFile, .. arguments], asPostgres: true);

    /// <summary>What Patroni and etcd printed, for failure messages.</summary>
    public string Logs() => string.Join("\n", _nodes.Select(n => $"--- {n.Name}:\n{Tail(n.Output)}")) + $"\n--- etcd:\n{Tail(_etcd.Output)}";

    static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
            await node.DisposeAsync();
        await _etcd.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Patroni's <c>/cluster</c> answer.</summary>
    public sealed record ClusterView([property: JsonPropertyName("members")] IReadOnlyList<ClusterMember> Members)
    {
        public ClusterMember? Leader => Members.FirstOrDefault(m => m.Role == "leader" && m.State == "running");
    }

    public sealed record ClusterMember(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("role")] string Role,
        [property: JsonPropertyName("state")] string State,
        [property: JsonPropertyName("timeline")] int? Timeline,
        [property: JsonPropertyName("lag")] object? Lag)
    {
        public override string ToString() => $"{Name} {Role} {State} tl={Timeline} lag={Lag}";
    }
}

/// <summary>One Patroni-managed PostgreSQL node: its folder, ports, configuration and Patroni process.</summary>
public sealed class PatroniNode(string name, string folder, int postgresPort, int restPort) : IAsyncDisposable
{
    ExternalProgram? _patroni;
    string _lastOutput = "";

    public string Name => name;
    public int PostgresPort => postgresPort;
    public int RestPort => restPort;
    public string RestUrl => $"http://127.0.0.1:{restPort.ToString(CultureInfo.InvariantCulture)}";
    public string ConfigFile => Path.Combine(folder, "patroni.yml");
    public string DataFolder => Path.Combine(folder, "data");
    public string Output => _patroni?.Output ?? _lastOutput;

    /// <summary>The tested configuration (docs/operations/high-availability.md shows the same keys).</summary>
    public void WriteConfiguration(int etcdPort)
    {
        ExternalProgram.FolderForPostgres(folder);
        File.WriteAllText(ConfigFile, $$"""
            scope: {{PatroniCluster.Scope}}
            name: {{name}}
            restapi:
              listen: 127.0.0.1:{{restPort}}
              connect_address: 127.0.0.1:{{restPort}}
            etcd3:
              hosts: 127.0.0.1:{{etcdPort}}
            bootstrap:
              dcs:
                ttl: 10
                loop_wait: 1
                retry_timeout: 4
                primary_start_timeout: 0
                maximum_lag_on_failover: 1048576
                synchronous_mode: true
                postgresql:
                  use_pg_rewind: true
                  parameters:
                    wal_log_hints: 'on'
                    max_wal_senders: 10
                    max_replication_slots: 10
                    wal_keep_size: 128MB
                    fsync: 'off'
              initdb:
              - encoding: UTF8
              - locale: C.UTF-8
              - auth-host: scram-sha-256
              - auth-local: trust
              pg_hba:
              - local all all trust
              - host replication replicator 127.0.0.1/32 scram-sha-256
              - host all all 127.0.0.1/32 scram-sha-256
            postgresql:
              listen: 127.0.0.1:{{postgresPort}}
              connect_address: 127.0.0.1:{{postgresPort}}
              data_dir: {{DataFolder}}
              bin_dir: {{LocalPostgresCluster.FindBinDirectory()}}
              pgpass: {{Path.Combine(folder, "pgpass")}}
              basebackup:
                checkpoint: fast
              authentication:
                superuser:
                  username: postgres
                  password: {{PatroniCluster.Password}}
                replication:
                  username: replicator
                  password: patroni-test-replicator
                rewind:
                  username: postgres
                  password: {{PatroniCluster.Password}}
              parameters:
                unix_socket_directories: {{folder}}
            """);
        ExternalProgram.FolderForPostgres(folder);
    }

    public void Start() => _patroni = ExternalProgram.Start(ExternalProgram.Find("patroni", "patroni"), [ConfigFile], asPostgres: true);

    /// <summary>SIGTERM to Patroni: it stops PostgreSQL (fast shutdown) and, as leader, hands the leader key back.</summary>
    public async Task StopAsync()
    {
        if (_patroni is null)
            return;
        await _patroni.TerminateAsync(TimeSpan.FromSeconds(60));
        _lastOutput = _patroni.Output;
        await _patroni.DisposeAsync();
        _patroni = null;
    }

    /// <summary>
    /// Teardown, not a test step: Patroni killed outright, then PostgreSQL (which Patroni starts
    /// detached, holding Patroni's output open) stopped by its data folder, immediately.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _patroni?.Kill();
        if (File.Exists(Path.Combine(DataFolder, "postmaster.pid")))
            await ExternalProgram.RunAsync(Path.Combine(LocalPostgresCluster.FindBinDirectory(), "pg_ctl"),
                ["-D", DataFolder, "-m", "immediate", "-w", "stop"], asPostgres: true);
        if (_patroni is not null)
            await _patroni.DisposeAsync();
        _patroni = null;
    }
}
