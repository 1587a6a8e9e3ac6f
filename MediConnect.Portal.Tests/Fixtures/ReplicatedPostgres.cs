using MediConnect.Portal.Data;
using Npgsql;

namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>
/// A primary cluster of its own and a streaming standby built from it with
/// <c>pg_basebackup -R</c>, both local throwaway clusters on loopback (as root, run as the
/// <c>postgres</c> user). The database <see cref="Database"/> is created empty on the primary:
/// whoever uses it migrates it (the portal instances do, at start-up).
/// </summary>
public sealed class ReplicatedPostgres : IAsyncDisposable
{
    public const string Database = "mediconnect";
    readonly string _folder;
    readonly string _bin;

    ReplicatedPostgres(string folder, string bin, LocalPostgresCluster primary, LocalPostgresCluster standby)
    {
        _folder = folder;
        _bin = bin;
        Primary = primary;
        Standby = standby;
    }

    public LocalPostgresCluster Primary { get; }
    public LocalPostgresCluster Standby { get; private set; }
    public bool StandbyRunning { get; private set; } = true;

    public string PrimaryConnectionString => Primary.ConnectionString(Database);
    public string StandbyConnectionString => Standby.ConnectionString(Database);
    public string Password => new NpgsqlConnectionStringBuilder(Primary.ConnectionString()).Password!;

    /// <summary><c>postgresql://…</c> for the portal's settings: the primary, or any other port (the standby's, PgBouncer's) with the same account.</summary>
    public string Url(int port, string query = "") => $"postgresql://postgres:{Password}@127.0.0.1:{port}/{Database}{query}";

    public static async Task<ReplicatedPostgres> StartAsync()
    {
        var folder = ExternalProgram.NewFolder("replicated");
        var bin = LocalPostgresCluster.FindBinDirectory();
        var primary = await Task.Run(() => LocalPostgresCluster.StartOrReuse(Path.Combine(folder, "primary"), throwaway: true));
        LocalPostgresCluster? standby = null;
        try
        {
            await ExecuteAsync(primary.ConnectionString(), $"CREATE DATABASE {Database}");
            // The throwaway cluster commits asynchronously, which holds WAL back up to 200 ms (wal_writer_delay)
            // before the standby can have it; the portal's database commits as a real primary does.
            await ExecuteAsync(primary.ConnectionString(), $"ALTER DATABASE {Database} SET synchronous_commit = on");
            var standbyFolder = ExternalProgram.FolderForPostgres(Path.Combine(folder, "standby"));
            var password = new NpgsqlConnectionStringBuilder(primary.ConnectionString()).Password!;
            await ExternalProgram.RunCheckedAsync(Path.Combine(bin, "pg_basebackup"),
                ["-D", Path.Combine(standbyFolder, "data"), "-R", "-X", "stream", "-c", "fast", "-h", "127.0.0.1", "-p", primary.Port.ToString(), "-U", "postgres"],
                new Dictionary<string, string> { ["PGPASSWORD"] = password }, asPostgres: true);
            File.Copy(Path.Combine(primary.Directory, "superuser-password"), Path.Combine(standbyFolder, "superuser-password"));
            ExternalProgram.FolderForPostgres(standbyFolder);
            standby = await Task.Run(() => LocalPostgresCluster.StartOrReuse(standbyFolder, throwaway: true, bin));

            var replicated = new ReplicatedPostgres(folder, bin, primary, standby);
            await replicated.WaitForStreamingAsync();
            return replicated;
        }
        catch
        {
            standby?.Stop();
            primary.Stop();
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    /// <summary>Waits until the standby streams from the primary.</summary>
    public async Task WaitForStreamingAsync()
    {
        await WaitAsync(async () => await ScalarAsync<long>(Primary.ConnectionString(), "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'") == 1,
            "the standby to stream from the primary");
    }

    /// <summary>Waits until the standby has replayed everything the primary has written so far.</summary>
    public async Task WaitForReplayAsync()
    {
        var lsn = await ScalarAsync<string>(Primary.ConnectionString(), "SELECT pg_current_wal_lsn()::text");
        await WaitAsync(async () => await ScalarAsync<bool>(Standby.ConnectionString(), $"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn"),
            $"the standby to replay up to {lsn}");
    }

    /// <summary>Stops applying the primary's changes on the standby (it keeps receiving them), as a lagging standby would.</summary>
    public Task PauseReplayAsync() => ExecuteAsync(Standby.ConnectionString(), "SELECT pg_wal_replay_pause()");

    public Task ResumeReplayAsync() => ExecuteAsync(Standby.ConnectionString(), "SELECT pg_wal_replay_resume()");

    /// <summary>Replication as the primary sees it: replay lag (time) and bytes of WAL not yet replayed.</summary>
    public async Task<(TimeSpan ReplayLag, long BytesBehind)> ReplicationLagAsync()
    {
        await using var connection = new NpgsqlConnection(Primary.ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT coalesce(extract(epoch FROM replay_lag), 0)::float8, coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), 0)::bigint FROM pg_stat_replication",
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (TimeSpan.FromSeconds(reader.GetDouble(0)), reader.GetInt64(1)) : (TimeSpan.Zero, 0);
    }

    /// <summary>Stops the standby (fast shutdown), as an operator or a crash would take it away.</summary>
    public async Task StopStandbyAsync()
    {
        await Task.Run(Standby.Stop);
        StandbyRunning = false;
    }

    /// <summary>Starts the standby again on its old port; it catches up from the primary.</summary>
    public async Task StartStandbyAsync()
    {
        var port = Standby.Port;
        Standby = await Task.Run(() => LocalPostgresCluster.StartOrReuse(Standby.Directory, throwaway: true, _bin, port));
        StandbyRunning = true;
        await WaitForStreamingAsync();
    }

    /// <summary>Kills the primary (immediate shutdown: no checkpoint, every session cut), as a crash or a lost machine would.</summary>
    public Task KillPrimaryAsync() => PgCtlAsync(Primary.Directory, "-m", "immediate", "-w", "stop");

    /// <summary>Promotes the standby to primary (<c>pg_ctl promote</c>) and waits until it takes writes.</summary>
    public async Task PromoteStandbyAsync()
    {
        await PgCtlAsync(Standby.Directory, "-w", "promote");
        await WaitAsync(async () => !await ScalarAsync<bool>(Standby.ConnectionString(), "SELECT pg_is_in_recovery()"), "the standby to leave recovery");
    }

    Task PgCtlAsync(string clusterFolder, params string[] arguments) =>
        ExternalProgram.RunCheckedAsync(Path.Combine(_bin, "pg_ctl"), ["-D", Path.Combine(clusterFolder, "data"), .. arguments], asPostgres: true);

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails naming what it waited for.</summary>
    public static async Task WaitAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Waited in vain for {what}.");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Task.Run(() =>
        {
            Standby.Stop();
            Primary.Stop();
        });
        Directory.Delete(_folder, recursive: true);
    }
}
