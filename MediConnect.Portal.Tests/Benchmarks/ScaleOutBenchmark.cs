using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MediConnect.Portal.Tests.Fixtures;
using Npgsql;

namespace MediConnect.Portal.Tests.Benchmarks;

/// <summary>
/// Measures (never asserts) the doctor's page (<c>GET /doctor</c>, signed in) through nginx with
/// one, two and three portal instances, with wrk, on the full scaled-out stack
/// (<see cref="ScaledOutPortal"/>: PgBouncer, primary, streaming standby), plus one instance
/// straight, without the proxy; and the replication lag seen meanwhile. All on one 2-core
/// machine: the figures tell the proxy's overhead and that nothing breaks, not capacity.
/// Skipped unless MEDICONNECT_BENCH=1 (see bench.sh); the report goes to the test output and
/// to MEDICONNECT_BENCH_OUT (default /tmp/mediconnect-bench-scaleout.txt).
/// </summary>
public sealed partial class ScaleOutBenchmark(ITestOutputHelper output)
{
    static readonly string[] Doctors = ["dr.smith", "dr.patel", "dr.garcia", "dr.chen", "dr.okafor"];
    const string Duration = "15s";

    [Fact]
    public async Task MeasureTheDoctorsPageThroughTheProxyWithOneTwoAndThreeInstances()
    {
        Assert.SkipUnless(Environment.GetEnvironmentVariable("MEDICONNECT_BENCH") == "1", "Benchmark: run ./bench.sh scaleout (MEDICONNECT_BENCH=1).");
        var wrk = ExternalProgram.Find("wrk", "wrk");
        await using var clinic = new ScaledOutPortal();
        await clinic.InitializeAsync();

        // Five doctors signed in, one session cookie each; wrk takes them in turn (no route cookie: nginx spreads them).
        var cookies = new List<string>();
        foreach (var doctor in Doctors)
            cookies.Add(await clinic.Proxy.SessionCookieAsync($"{doctor}@mediconnect.demo", SignIn.DoctorPassword));
        var script = Path.Combine(Path.GetTempPath(), $"mediconnect-wrk-{Environment.ProcessId}.lua");
        await File.WriteAllTextAsync(script, $$"""
            local cookies = { {{string.Join(", ", cookies.Select(c => $"\"{c}\""))}} }
            local n = 0
            request = function()
              n = n + 1
              return wrk.format("GET", "/doctor", { ["Cookie"] = cookies[(n % #cookies) + 1] })
            end
            """);

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"GET /doctor signed in (5 doctors in turn), wrk -t2 -c8 -d{Duration} after a 3 s warm-up; nginx TLS → instances → PgBouncer (transaction) → primary, lists from the standby.");
        report.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} cores; load average before: {LoadAverage()}");
        try
        {
            var direct = await RunWrkAsync(wrk, script, clinic.Instances[0].Address, clinic);
            report.AppendLine(CultureInfo.InvariantCulture, $"  one instance, no proxy (plain HTTP): {direct}");
            for (var count = 1; count <= clinic.Instances.Count; count++)
            {
                await using var proxy = await NginxProxy.StartAsync(clinic.Instances.Take(count).Select(i => i.Address));
                var figures = await RunWrkAsync(wrk, script, proxy.Address, clinic);
                report.AppendLine(CultureInfo.InvariantCulture, $"  {count} instance{(count == 1 ? "" : "s")} through nginx (TLS):  {figures}");
            }
            report.AppendLine(CultureInfo.InvariantCulture, $"Commit on the primary → visible on the standby: {await VisibilityLagAsync(clinic)}");
            report.AppendLine(CultureInfo.InvariantCulture, $"Load average after: {LoadAverage()}");
        }
        finally
        {
            File.Delete(script);
        }

        var text = report.ToString();
        output.WriteLine(text);
        await File.WriteAllTextAsync(Environment.GetEnvironmentVariable("MEDICONNECT_BENCH_OUT") ?? "/tmp/mediconnect-bench-scaleout.txt", text);
    }

    /// <summary>Runs wrk once to warm up and once to measure, sampling the replication lag every 200 ms meanwhile.</summary>
    static async Task<string> RunWrkAsync(string wrk, string script, Uri address, ScaledOutPortal clinic)
    {
        await ExternalProgram.RunCheckedAsync(wrk, ["-t1", "-c4", "-d3s", "-s", script, address.ToString()]);
        using var stop = new CancellationTokenSource();
        var maxLag = TimeSpan.Zero;
        var maxBytes = 0L;
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var (lag, bytes) = await clinic.Database.ReplicationLagAsync();
                (maxLag, maxBytes) = (lag > maxLag ? lag : maxLag, Math.Max(bytes, maxBytes));
                await Task.Delay(200);
            }
        });
        var result = await ExternalProgram.RunCheckedAsync(wrk, ["-t2", "-c8", $"-d{Duration}", "--latency", "-s", script, address.ToString()], timeout: TimeSpan.FromMinutes(2));
        await stop.CancelAsync();
        await sampler;

        var requestsPerSecond = RequestsPerSecond().Match(result).Groups[1].Value;
        var p50 = Percentile(result, "50%");
        var p99 = Percentile(result, "99%");
        var errors = NonSuccess().Match(result) is { Success: true } m ? $", {m.Groups[1].Value} non-2xx/3xx" : "";
        return $"{requestsPerSecond} req/s, p50 {p50}, p99 {p99}{errors}; replication: replay lag ≤ {maxLag.TotalMilliseconds:F0} ms, ≤ {maxBytes} bytes of WAL behind";
    }

    /// <summary>Twenty commits on the primary, each timed until the standby returns the row (polled every millisecond).</summary>
    static async Task<string> VisibilityLagAsync(ScaledOutPortal clinic)
    {
        await using var primary = new NpgsqlConnection(clinic.Database.PrimaryConnectionString);
        await using var standby = new NpgsqlConnection(clinic.Database.StandbyConnectionString);
        await primary.OpenAsync();
        await standby.OpenAsync();
        await new NpgsqlCommand("CREATE TABLE bench_visibility (id int PRIMARY KEY)", primary).ExecuteNonQueryAsync();
        var samples = new List<double>();
        for (var i = 1; i <= 20; i++)
        {
            await using var insert = new NpgsqlCommand($"INSERT INTO bench_visibility VALUES ({i})", primary);
            await using var seen = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM bench_visibility WHERE id = {i})", standby);
            var watch = Stopwatch.StartNew();
            await insert.ExecuteNonQueryAsync();
            while (!(await TableVisibleAsync(seen) && (bool)(await seen.ExecuteScalarAsync())!))
            {
                if (watch.Elapsed > TimeSpan.FromSeconds(30))
                    throw new TimeoutException("The standby did not show a committed row within 30 s");
                await Task.Delay(1);
            }
            samples.Add(watch.Elapsed.TotalMilliseconds);
        }
        samples.Sort();
        return string.Create(CultureInfo.InvariantCulture, $"median {samples[samples.Count / 2]:F1} ms, max {samples[^1]:F1} ms (20 commits)");

        async Task<bool> TableVisibleAsync(NpgsqlCommand seen)
        {
            await using var exists = new NpgsqlCommand("SELECT to_regclass('bench_visibility') IS NOT NULL", seen.Connection);
            return (bool)(await exists.ExecuteScalarAsync())!;
        }
    }

    static string Percentile(string wrkOutput, string percentile) =>
        Regex.Match(wrkOutput, $@"^\s*{Regex.Escape(percentile)}\s+(\S+)", RegexOptions.Multiline).Groups[1].Value;

    static string LoadAverage() => File.ReadAllText("/proc/loadavg").Trim();

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();
}
