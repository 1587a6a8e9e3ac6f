using System.Diagnostics;
using System.Net;
using System.Text;

namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>
/// The portal as an operator starts it: <c>dotnet MediConnect.Portal.dll</c> in its own process,
/// with only the environment variables given. Stopped with SIGTERM, as Ctrl+C or a service
/// manager would.
/// </summary>
public sealed class PortalProcess : IAsyncDisposable
{
    readonly Process _process;
    readonly StringBuilder _output = new();
    bool _disposed;

    PortalProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Address { get; }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public static PortalProcess Start(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        StartOn(MediConnect.Portal.Data.LocalPostgresCluster.FreePort(), environment, arguments);

    /// <summary>Starts the portal on a given port: an instance coming back where a proxy expects it.</summary>
    public static PortalProcess StartOn(int port, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MediConnect.Portal.dll"));
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var name in new[] { "DATABASE_URL", "POSTGRES_HOST", "ConnectionStrings__Postgres", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT" })
            start.Environment.Remove(name);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Serilog__WriteTo__1__Args__path"] = Path.Combine(Path.GetTempPath(), "mediconnect-test-logs", "process-.log");
        foreach (var (name, value) in environment)
            start.Environment[name] = value;

        return new PortalProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}"));
    }

    /// <summary>Polls <c>/health</c> until it answers 200; fails with the portal's output if it never does.</summary>
    public async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                using var response = await client.GetAsync("/health");
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { } // not listening yet, or slow to answer on a busy machine
            await Task.Delay(250);
        }
        throw new TimeoutException($"The portal did not become healthy within {timeout}. Its output:\n{Output}");
    }

    /// <summary>Sends SIGTERM and waits for the process to exit; returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
            Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        return await WaitForExitAsync();
    }

    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
