using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace MediConnect.Portal.Data;

/// <summary>
/// A private PostgreSQL cluster run from the locally installed server binaries: the zero-setup
/// database of <c>dotnet run</c> in Development, and the throwaway database of the tests when
/// neither a configured server nor Docker is available. As root, every server command runs as
/// the <c>postgres</c> user, because initdb refuses to run as root.
/// </summary>
public sealed class LocalPostgresCluster
{
    const string SuperUser = "postgres";
    readonly string _bin;
    readonly string _dataDir;
    readonly string _passwordFile;
    readonly bool _runAsPostgres = Environment.UserName == "root";

    LocalPostgresCluster(string directory, string bin)
    {
        Directory = Path.GetFullPath(directory);
        _bin = bin;
        _dataDir = Path.Combine(Directory, "data");
        _passwordFile = Path.Combine(Directory, "superuser-password");
    }

    /// <summary>The folder holding the cluster: delete it (while stopped) to start afresh.</summary>
    public string Directory { get; }
    public int Port { get; private set; }

    /// <summary>False when the cluster was already running and this process only adopted it.</summary>
    public bool StartedHere { get; private set; }
    public string LogFile => Path.Combine(Directory, "postgres.log");

    /// <summary>Connection string for <paramref name="database"/> as the cluster's superuser.</summary>
    public string ConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Database = database,
        Username = SuperUser,
        Password = File.ReadAllText(_passwordFile).Trim(),
    }.ConnectionString;

    /// <summary>
    /// Starts the cluster in <paramref name="directory"/>, creating it first when the folder
    /// holds none, or adopts it when it is already running (say, after the portal was killed).
    /// A <paramref name="throwaway"/> cluster trades durability for speed: for tests only.
    /// <paramref name="port"/> (default: any free one) lets a cluster that was stopped come back where its clients expect it.
    /// </summary>
    public static LocalPostgresCluster StartOrReuse(string directory, bool throwaway = false, string? binDirectory = null, int? port = null)
    {
        var cluster = new LocalPostgresCluster(directory, binDirectory ?? FindBinDirectory());
        cluster.Start(throwaway, port);
        return cluster;
    }

    /// <summary>The newest <c>/usr/lib/postgresql/N/bin</c>, else the folder of <c>pg_ctl</c> on PATH.</summary>
    public static string FindBinDirectory()
    {
        var installed = new DirectoryInfo("/usr/lib/postgresql");
        if (installed.Exists)
        {
            var newest = installed.GetDirectories()
                .Where(d => File.Exists(Path.Combine(d.FullName, "bin", "initdb")))
                .OrderByDescending(d => int.TryParse(d.Name, out var version) ? version : 0)
                .FirstOrDefault();
            if (newest is not null)
                return Path.Combine(newest.FullName, "bin");
        }

        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(folder, "initdb")) && File.Exists(Path.Combine(folder, "pg_ctl")))
                return folder;
        }

        throw new PortalConfigurationException(
            "No PostgreSQL server binaries found (looked in /usr/lib/postgresql/*/bin and on PATH): "
            + "install them (Debian: apt-get install postgresql-15) or configure DATABASE_URL.");
    }

    void Start(bool throwaway, int? port)
    {
        System.IO.Directory.CreateDirectory(Directory);
        if (!File.Exists(Path.Combine(_dataDir, "PG_VERSION")))
            Initialize();

        if (IsRunning())
        {
            Port = ReadRunningPort();
            return;
        }

        Port = port ?? FreePort();
        var options = $"-c listen_addresses=127.0.0.1 -p {Port} -k '{Directory}'";
        if (throwaway)
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";
        RunServerCommand("pg_ctl", "-D", _dataDir, "-l", LogFile, "-w", "-t", "60", "-o", options, "start");
        StartedHere = true;
    }

    void Initialize()
    {
        if (System.IO.Directory.Exists(_dataDir))
            System.IO.Directory.Delete(_dataDir, recursive: true); // left by an initdb that failed half-way
        if (File.Exists(_passwordFile))
            File.Delete(_passwordFile);
        File.WriteAllText(_passwordFile, Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant());
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(_passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (_runAsPostgres)
        {
            Run("chown", "-R", $"{SuperUser}:", Directory);
            if (Run(allowFailure: true, "test", "runuser", ["-u", SuperUser, "--", "test", "-w", Directory]) != 0)
                throw new PortalConfigurationException(
                    $"The postgres user cannot write to {Directory} (a parent folder is closed to it): "
                    + "set LOCAL_POSTGRES_DIR to a folder it can reach, such as /var/tmp/mediconnect.");
        }

        RunServerCommand("initdb", "-D", _dataDir, "-U", SuperUser, "--pwfile", _passwordFile,
            "--auth-host=scram-sha-256", "--auth-local=peer", "-E", "UTF8", "--locale=C.UTF-8");
    }

    bool IsRunning() => RunServerCommand(allowFailure: true, "pg_ctl", "-D", _dataDir, "status") == 0;

    /// <summary>The fourth line of postmaster.pid is the port the running server listens on.</summary>
    int ReadRunningPort()
    {
        var lines = File.ReadAllLines(Path.Combine(_dataDir, "postmaster.pid"));
        return int.Parse(lines[3].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Stops the server (fast shutdown: open sessions are rolled back). Safe to call twice.</summary>
    public void Stop()
    {
        if (File.Exists(Path.Combine(_dataDir, "postmaster.pid")))
            RunServerCommand(allowFailure: true, "pg_ctl", "-D", _dataDir, "-m", "fast", "-w", "stop");
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    void RunServerCommand(string tool, params string[] arguments) => RunServerCommand(allowFailure: false, tool, arguments);

    int RunServerCommand(bool allowFailure, string tool, params string[] arguments)
    {
        var path = Path.Combine(_bin, tool);
        return _runAsPostgres
            ? Run(allowFailure, tool, "runuser", ["-u", SuperUser, "--", path, .. arguments])
            : Run(allowFailure, tool, path, arguments);
    }

    static void Run(string file, params string[] arguments) => Run(allowFailure: false, file, file, arguments);

    static int Run(bool allowFailure, string name, string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // initdb and pg_ctl must not inherit a folder the postgres user cannot enter.
            WorkingDirectory = "/",
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{name} did not finish within 90 seconds.");
        }
        if (process.ExitCode != 0 && !allowFailure)
        {
            throw new InvalidOperationException(
                $"{name} failed (exit {process.ExitCode}): "
                + $"{error.Result.Trim()} {output.Result.Trim()}".Trim());
        }
        return process.ExitCode;
    }
}
