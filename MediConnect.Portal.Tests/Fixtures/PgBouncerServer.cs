using System.Globalization;
using MediConnect.Portal.Data;

namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>
/// Debian's <c>pgbouncer</c> in transaction pooling mode in front of one PostgreSQL server, on a
/// free loopback port, with the settings docs/operations/scale-out.md recommends. As root it runs as the
/// <c>postgres</c> user (pgbouncer refuses root).
/// </summary>
public sealed class PgBouncerServer : IAsyncDisposable
{
    readonly ExternalProgram _process;
    readonly string _folder;
    readonly string _password;

    PgBouncerServer(ExternalProgram process, string folder, int port, string password)
    {
        _process = process;
        _folder = folder;
        Port = port;
        _password = password;
    }

    public int Port { get; }

    public static async Task<PgBouncerServer> StartAsync(int serverPort, string password, int poolSize = 20)
    {
        var pgbouncer = ExternalProgram.Find("pgbouncer", "pgbouncer");
        var folder = ExternalProgram.NewFolder("pgbouncer");
        var port = LocalPostgresCluster.FreePort();
        File.WriteAllText(Path.Combine(folder, "userlist.txt"), $"\"postgres\" \"{password}\"\n");
        File.WriteAllText(Path.Combine(folder, "pgbouncer.ini"), string.Create(CultureInfo.InvariantCulture, $"""
            [databases]
            * = host=127.0.0.1 port={serverPort}

            [pgbouncer]
            listen_addr = 127.0.0.1
            listen_port = {port}
            unix_socket_dir =
            auth_type = scram-sha-256
            auth_file = {folder}/userlist.txt
            admin_users = postgres
            pool_mode = transaction
            default_pool_size = {poolSize}
            max_client_conn = 1000
            server_reset_query =
            ignore_startup_parameters = extra_float_digits
            logfile = {folder}/pgbouncer.log
            pidfile = {folder}/pgbouncer.pid
            """));
        ExternalProgram.FolderForPostgres(folder);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(Path.Combine(folder, "userlist.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var process = ExternalProgram.Start(pgbouncer, [Path.Combine(folder, "pgbouncer.ini")], asPostgres: true);
        var server = new PgBouncerServer(process, folder, port, password);
        try
        {
            await process.WaitForPortAsync(port, TimeSpan.FromSeconds(30));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>
    /// One of PgBouncer's <c>SHOW</c> commands on its admin console (simple query protocol
    /// only, hence psql), as rows of column name → value.
    /// </summary>
    public async Task<IReadOnlyList<IReadOnlyDictionary<string, string>>> ShowAsync(string what)
    {
        var output = await ExternalProgram.RunCheckedAsync(ExternalProgram.Find("psql", "postgresql-client"),
            ["-X", "-A", "-F", "\t", "-P", "footer=off", "-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-c", $"SHOW {what}", "pgbouncer"],
            new Dictionary<string, string> { ["PGPASSWORD"] = _password });
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var header = lines[0].Split('\t');
        return [.. lines.Skip(1).Select(line => (IReadOnlyDictionary<string, string>)header
            .Zip(line.Split('\t')).ToDictionary(p => p.First, p => p.Second))];
    }

    public string Log => File.Exists(Path.Combine(_folder, "pgbouncer.log")) ? File.ReadAllText(Path.Combine(_folder, "pgbouncer.log")) : _process.Output;

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
