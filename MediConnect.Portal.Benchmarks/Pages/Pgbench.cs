using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace MediConnect.Portal.Benchmarks.Pages;

/// <summary>
/// The pgbench side: the page's script (<see cref="CapturedCommands.PgbenchScript"/>) run by pgbench
/// with the same number of clients, extended protocol like Npgsql (no prepared statements), and a
/// per-transaction log for the percentiles.
/// </summary>
public static class Pgbench
{
    public static async Task<Latencies> RunAsync(string pgbench, string connectionString, string script, int clients, TimeSpan duration, string workDir)
    {
        var logDir = Directory.CreateTempSubdirectory("pgbench-log-").FullName;
        try
        {
            var scriptFile = Path.Combine(workDir, "page.pgbench");
            await File.WriteAllTextAsync(scriptFile, script);
            var target = new NpgsqlConnectionStringBuilder(connectionString);
            var output = await RunProcessAsync(pgbench, target.Password, [
                "-h", target.Host!, "-p", target.Port.ToString(CultureInfo.InvariantCulture), "-U", target.Username!,
                "-n", "-M", "extended", "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", Math.Min(clients, 2).ToString(CultureInfo.InvariantCulture),
                "-T", ((int)Math.Max(1, duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture),
                "-l", $"--log-prefix={Path.Combine(logDir, "tx")}", "-f", scriptFile, target.Database!]);
            var latencies = new List<double>();
            foreach (var file in Directory.GetFiles(logDir))
                foreach (var line in File.ReadLines(file))
                {
                    // client_id transaction_no time_us script_no time_epoch time_us
                    var fields = line.Split(' ');
                    if (fields.Length >= 3 && double.TryParse(fields[2], CultureInfo.InvariantCulture, out var micros))
                        latencies.Add(micros / 1000);
                }
            if (latencies.Count == 0)
                throw new InvalidOperationException($"pgbench ran no transaction:\n{output}");
            var tps = output.Split('\n').FirstOrDefault(l => l.StartsWith("tps = ", StringComparison.Ordinal))?.Split(' ')[2];
            var measured = Latencies.From(latencies, duration);
            return tps is null ? measured : measured with { TransactionsPerSecond = double.Parse(tps, CultureInfo.InvariantCulture) };
        }
        finally
        {
            Directory.Delete(logDir, recursive: true);
        }
    }

    /// <summary>Runs the script once for one transaction: proves pgbench accepts it.</summary>
    public static Task<string> CheckAsync(string pgbench, string connectionString, string scriptFile)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        return RunProcessAsync(pgbench, target.Password, ["-h", target.Host!, "-p", target.Port.ToString(CultureInfo.InvariantCulture), "-U", target.Username!,
            "-n", "-M", "extended", "-t", "1", "-f", scriptFile, target.Database!]);
    }

    static async Task<string> RunProcessAsync(string file, string? password, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (password is not null)
            start.Environment["PGPASSWORD"] = password;
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout + await stderr;
        if (process.ExitCode != 0 || output.Contains("ERROR", StringComparison.Ordinal))
            throw new InvalidOperationException($"pgbench failed ({process.ExitCode}):\n{output}");
        return output;
    }
}
