using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MediConnect.Portal.Data;
using Npgsql;

namespace MediConnect.Portal.Benchmarks.Pages;

/// <summary>
/// <c>pages</c>: for every page, its commands recorded from the services, run by pgbench and by the
/// harness through the services with the same clients for the same time, and the plans of the
/// commands (EXPLAIN ANALYZE, BUFFERS) kept beside the figures. The scales are measured one right
/// after the other for each page, so a change in the machine's load between them weighs little
/// on the growth ratio.
/// </summary>
public static partial class PagesCommand
{
    sealed record Scale(string Name, string ConnectionString, Shape Shape, IServiceProvider Services, CommandRecorder Recorder);

    public static async Task<int> RunAsync(Options options)
    {
        var server = options.Required("connection");
        var outDir = options.Required("out-dir");
        var run = options.Get("run", "1");
        var clients = int.Parse(options.Get("clients", "8"), CultureInfo.InvariantCulture);
        var seconds = double.Parse(options.Get("seconds", "5"), CultureInfo.InvariantCulture);
        var pgbench = options.Get("pgbench", "pgbench");
        var only = options.Get("pages", "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        var scales = new List<Scale>();
        foreach (var database in options.Required("databases").Split(','))
        {
            var connection = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
            var shape = await Shape.ReadAsync(connection);
            scales.Add(new Scale(shape.Scale.ToString("0.####", CultureInfo.InvariantCulture), connection, shape,
                PortalServices.Build(connection), new CommandRecorder(connection)));
        }
        foreach (var dir in new[] { "scripts", "plans" })
            Directory.CreateDirectory(Path.Combine(outDir, dir));
        var work = Directory.CreateTempSubdirectory("mediconnect-pages-").FullName;

        foreach (var page in PageLoad.All.Where(p => only.Length == 0 || only.Any(o => Slug(p.Name).Contains(Slug(o), StringComparison.Ordinal))))
            foreach (var scale in scales)
            {
                var shape = scale.Shape;
                var ids = shape.Ids(shape.PickPatient(new Random(42), page.DevicePatient));
                var commands = await scale.Recorder.RecordAsync(page, shape, ids);
                var script = CapturedCommands.PgbenchScript(commands, shape, page, ids);
                var name = $"{Slug(page.Name)}@{scale.Name}";
                await File.WriteAllTextAsync(Path.Combine(outDir, "scripts", name + ".pgbench"), script);
                await File.WriteAllTextAsync(Path.Combine(outDir, "plans", name + ".txt"), await PlansAsync(scale.ConnectionString, commands, ids));

                var warmUp = TimeSpan.FromSeconds(Math.Min(2, seconds));
                await ServiceLoad.RunAsync(scale.Services, page, shape, clients, warmUp);
                await Pgbench.RunAsync(pgbench, scale.ConnectionString, script, clients, warmUp, work);
                var database = await Pgbench.RunAsync(pgbench, scale.ConnectionString, script, clients, TimeSpan.FromSeconds(seconds), work);
                var service = await ServiceLoad.RunAsync(scale.Services, page, shape, clients, TimeSpan.FromSeconds(seconds));

                var subject = $"{page.Name}@{scale.Name}";
                var lines = new StringBuilder();
                void Figure(string metric, double value) =>
                    lines.Append(CultureInfo.InvariantCulture, $"{run}\tpages\t{subject}\t{metric}\t{value:0.###}\n");
                Figure("pgbench tx/s", database.TransactionsPerSecond);
                Figure("pgbench p50 ms", database.P50Ms);
                Figure("pgbench p95 ms", database.P95Ms);
                Figure("service tx/s", service.TransactionsPerSecond);
                Figure("service p50 ms", service.P50Ms);
                Figure("service p95 ms", service.P95Ms);
                Figure("commands", commands.Count);
                await File.AppendAllTextAsync(Path.Combine(outDir, "figures.tsv"), lines.ToString());
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {subject,-42} pgbench {database.TransactionsPerSecond,7:F0} tx/s p50 {database.P50Ms,7:F2} ms | service {service.TransactionsPerSecond,7:F0} tx/s p50 {service.P50Ms,7:F2} p95 {service.P95Ms,7:F2} ms | ratio {service.TransactionsPerSecond / database.TransactionsPerSecond:F2}"));
            }
        foreach (var scale in scales)
            await scale.Recorder.DisposeAsync();
        Directory.Delete(work, recursive: true);
        return 0;
    }

    /// <summary>EXPLAIN (ANALYZE, BUFFERS) of each command with the sample ids, in a transaction rolled back (the chart's audit row too).</summary>
    static async Task<string> PlansAsync(string connection, IReadOnlyList<CapturedCommand> commands, PageIds ids)
    {
        await using var db = NpgsqlDataSource.Create(connection);
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var text = new StringBuilder();
        foreach (var command in commands)
        {
            var sql = CapturedCommands.Inline(command, ids, variables: false);
            text.Append("-- ").AppendLine(Regex.Replace(sql, @"\s+", " ")).AppendLine();
            await using var explain = new NpgsqlCommand($"EXPLAIN (ANALYZE, BUFFERS) {sql}", conn, tx);
            await using var reader = await explain.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                text.AppendLine(reader.GetString(0));
            text.AppendLine();
        }
        await tx.RollbackAsync();
        return text.ToString();
    }

    public static string Slug(string name) => SlugPattern().Replace(name.ToLowerInvariant(), "-").Trim('-');

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex SlugPattern();
}
