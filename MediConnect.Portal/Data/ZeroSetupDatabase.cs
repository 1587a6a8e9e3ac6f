using Dapper;
using Npgsql;

namespace MediConnect.Portal.Data;

/// <summary>
/// The database of <c>dotnet run</c> in Development when none is configured: a private cluster
/// kept in <c>.data/postgres</c> at the repository root (or <c>LOCAL_POSTGRES_DIR</c>), reused by
/// the next run and stopped when the portal stops. Delete the folder to reset the demo data.
/// </summary>
public sealed class ZeroSetupDatabase
{
    public const string DatabaseName = "mediconnect";
    readonly LocalPostgresCluster _cluster;

    ZeroSetupDatabase(LocalPostgresCluster cluster, string connectionString) =>
        (_cluster, ConnectionString) = (cluster, connectionString);

    public string ConnectionString { get; }
    public string Directory => _cluster.Directory;
    public int Port => _cluster.Port;
    public bool StartedHere => _cluster.StartedHere;

    public static ZeroSetupDatabase Start(IConfiguration config, IHostEnvironment environment)
    {
        var folder = config["LOCAL_POSTGRES_DIR"];
        var cluster = LocalPostgresCluster.StartOrReuse(
            string.IsNullOrWhiteSpace(folder) ? DefaultFolder(environment.ContentRootPath) : folder);

        using (var connection = new NpgsqlConnection(cluster.ConnectionString()))
        {
            connection.Open();
            if (!connection.ExecuteScalar<bool>("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = @DatabaseName)", new { DatabaseName }))
                connection.Execute($"CREATE DATABASE {DatabaseName}");
        }
        return new ZeroSetupDatabase(cluster, cluster.ConnectionString(DatabaseName));
    }

    public void Stop() => _cluster.Stop();

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
