using Dapper;
using Npgsql;

namespace MediConnect.Portal.Data;

/// <summary>
/// The database of <c>dotnet run</c> in Development when none is configured: a private cluster
/// kept in <c>.data/postgres</c> at the repository root (or <c>LOCAL_POSTGRES_DIR</c>), reused by
/// the next run and stopped when the last portal using it stops (<see cref="ClusterLeases"/>: a
/// second <c>dotnet run</c> of the same clone shares it). Delete the folder to reset the demo data.
/// </summary>
public sealed class ZeroSetupDatabase
{
    public const string DatabaseName = "mediconnect";
    readonly LocalPostgresCluster _cluster;
    readonly ClusterLeases _leases;
    int _stopped;

    ZeroSetupDatabase(LocalPostgresCluster cluster, string connectionString, ClusterLeases leases) =>
        (_cluster, ConnectionString, _leases) = (cluster, connectionString, leases);

    public string ConnectionString { get; }
    public string Directory => _cluster.Directory;
    public int Port => _cluster.Port;
    public bool StartedHere => _cluster.StartedHere;

    /// <summary>Other live portals (or CLI runs) of the same folder using the cluster when this one started it or joined.</summary>
    public IReadOnlyList<int> SharedWith { get; private init; } = [];

    public static ZeroSetupDatabase Start(IConfiguration config, IHostEnvironment environment)
    {
        var folder = config["LOCAL_POSTGRES_DIR"];
        var directory = Path.GetFullPath(string.IsNullOrWhiteSpace(folder) ? DefaultFolder(environment.ContentRootPath) : folder);
        var leases = new ClusterLeases(directory);
        return leases.Locked(() =>
        {
            var cluster = LocalPostgresCluster.StartOrReuse(directory);
            using (var connection = new NpgsqlConnection(cluster.ConnectionString()))
            {
                connection.Open();
                if (!connection.ExecuteScalar<bool>("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = @DatabaseName)", new { DatabaseName }))
                    connection.Execute($"CREATE DATABASE {DatabaseName}");
            }
            var others = leases.OtherUsers();
            leases.Take();
            return new ZeroSetupDatabase(cluster, cluster.ConnectionString(DatabaseName), leases) { SharedWith = others };
        });
    }

    /// <summary>
    /// Leaves the cluster: stops it when no other live process of this folder still uses it (the
    /// last one out stops it), else leaves it running for them. <paramref name="onlyIfStartedHere"/>:
    /// the CLI never stops a cluster it only adopted. Safe to call twice.
    /// </summary>
    public void Stop(bool onlyIfStartedHere = false)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
            return;
        _leases.Locked(() =>
        {
            var others = _leases.Release();
            if (others.Count == 0 && (StartedHere || !onlyIfStartedHere))
                _cluster.Stop();
            return others.Count;
        });
    }

    /// <summary><c>.data/postgres</c> beside the solution file, found from the content root upwards.</summary>
    static string DefaultFolder(string contentRoot)
    {
        for (var folder = new DirectoryInfo(contentRoot); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "MediConnect.Portal.sln")))
                return Path.Combine(folder.FullName, ".data", "postgres");
        }
        return Path.Combine(contentRoot, ".data", "postgres");
    }
}
