using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>
/// Debian programs the tests start for real (nginx, pgbouncer, pg_basebackup, openssl, wrk,
/// psql, the ops/ scripts): run to completion, or kept running until disposed. As root, the
/// PostgreSQL tools and pgbouncer run as the <c>postgres</c> user, as they insist.
/// </summary>
public sealed class ExternalProgram : IAsyncDisposable
{
    static readonly bool IsRoot = Environment.UserName == "root";
    static int _folders;
    readonly Process _process;
    readonly StringBuilder _output = new();

    ExternalProgram(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Kills the program and its children without waiting (a daemon it left behind may still hold its output open).</summary>
    public void Kill()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
    }

    /// <summary>Sends SIGTERM (runuser passes it on to the program it runs) and waits for the exit: a service manager's stop.</summary>
    public async Task TerminateAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
            return;
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
            await kill.WaitForExitAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The program did not stop within {timeout} of SIGTERM. Its output:\n{Output}");
        }
    }

    /// <summary>The path of <paramref name="name"/> on PATH or in the sbin folders; fails saying how to install it.</summary>
    public static string Find(string name, string package)
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/usr/bin", "/sbin"]))
        {
            var path = Path.Combine(folder, name);
            if (File.Exists(path))
                return path;
        }
        throw new InvalidOperationException($"{name} is not installed: run ./test.sh (it installs it as root) or apt-get install {package}.");
    }

    /// <summary>Runs a program to the end; returns its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null, bool asPostgres = false, TimeSpan? timeout = null)
    {
        await using var program = Start(file, arguments, environment, asPostgres);
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await program._process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Path.GetFileName(file)} did not finish in time. Its output:\n{program.Output}");
        }
        program._process.WaitForExit(); // flushes the redirected output
        return (program._process.ExitCode, program.Output);
    }

    /// <summary>Runs a program and fails with its output unless it exits 0.</summary>
    public static async Task<string> RunCheckedAsync(string file, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null, bool asPostgres = false, TimeSpan? timeout = null)
    {
        var (exitCode, output) = await RunAsync(file, arguments, environment, asPostgres, timeout);
        if (exitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', arguments)} exited {exitCode}:\n{output}");
        return output;
    }

    /// <summary>Starts a long-running program; it is killed (with its children) when disposed.</summary>
    public static ExternalProgram Start(string file, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null, bool asPostgres = false)
    {
        var runAs = asPostgres && IsRoot;
        var start = new ProcessStartInfo(runAs ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/", // the postgres user may not enter the test's folder
        };
        if (runAs)
        {
            foreach (var argument in new[] { "-u", "postgres", "--", "env" })
                start.ArgumentList.Add(argument);
            foreach (var (name, value) in environment ?? new Dictionary<string, string>())
                start.ArgumentList.Add($"{name}={value}"); // runuser starts a clean environment
            start.ArgumentList.Add(file);
        }
        else
        {
            foreach (var (name, value) in environment ?? new Dictionary<string, string>())
                start.Environment[name] = value;
        }
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        return new ExternalProgram(Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}."));
    }

    /// <summary>Makes <paramref name="folder"/> (created if need be) the postgres user's, when running as root.</summary>
    public static string FolderForPostgres(string folder)
    {
        Directory.CreateDirectory(folder);
        if (IsRoot)
        {
            using var chown = Process.Start("chown", ["-R", "postgres:", folder])!;
            chown.WaitForExit();
        }
        return folder;
    }

    /// <summary>A fresh folder under the temp folder, readable by the postgres user and nginx.</summary>
    public static string NewFolder(string name)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"mediconnect-{name}-{Environment.ProcessId}-{Interlocked.Increment(ref _folders)}");
        Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
        return folder;
    }

    /// <summary>Waits until something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public async Task WaitForPortAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The program exited ({_process.ExitCode}) before listening on {port}. Its output:\n{Output}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new TimeoutException($"Nothing listens on port {port} after {timeout}. Output:\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
