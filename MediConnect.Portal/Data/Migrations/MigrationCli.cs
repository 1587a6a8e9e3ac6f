using System.Globalization;

namespace MediConnect.Portal.Data.Migrations;

/// <summary>
/// <c>dotnet run --project MediConnect.Portal -- migrate run|status|specific FILE|rollback</c>:
/// the migration runner from the command line. Prints per-file progress; exits 0 on success,
/// 1 when a migration fails or is refused, 2 on a usage error.
/// </summary>
public static class MigrationCli
{
    const string Usage = """
        Usage: dotnet run --project MediConnect.Portal -- migrate <command>
          run               apply every pending migration, in name order
          status            list every migration file: applied (when, how long, by whom), pending or changed
          specific <file>   apply one migration file, e.g. specific 003_add_index.sql
          rollback          drop everything the migrations created (Development only; asks for the database name)
        """;

    public static bool IsMigrateCommand(string[] args) => args.Length > 0 && args[0] == "migrate";

    public static async Task<int> RunAsync(string[] args, MigrationRunner runner, DatabaseSettings settings, TextWriter output, TextWriter error,
        TextReader? input = null)
    {
        var verb = args.Length > 1 ? args[1] : "help";
        if (verb is "help" or "--help" or "-h")
        {
            output.WriteLine(Usage);
            return args.Length > 1 ? 0 : 2;
        }
        if (verb is not ("run" or "status" or "rollback" or "specific") || (verb == "specific") != (args.Length == 3) || (verb != "specific" && args.Length > 2))
        {
            error.WriteLine($"Unknown or incomplete migrate command: {string.Join(' ', args.Skip(1))}");
            error.WriteLine(Usage);
            return 2;
        }

        output.WriteLine($"Migrations in {runner.Folder}, database {settings.SafeDescription}");
        try
        {
            return verb switch
            {
                "status" => await StatusAsync(runner, output),
                "run" => Report(await runner.RunPendingAsync(AppliedBy, Progress(output)), output, error),
                "specific" => Report(await runner.RunFileAsync(args[2], AppliedBy, Progress(output)), output, error),
                _ => await RollbackAsync(runner, settings, input ?? TextReader.Null, output, error),
            };
        }
        catch (MigrationException e)
        {
            error.WriteLine(e.Message);
            return 1;
        }
        catch (Npgsql.NpgsqlException e)
        {
            error.WriteLine($"Could not reach the database {settings.SafeDescription}: {e.Message}");
            return 1;
        }
    }

    static string AppliedBy => $"cli:{Environment.UserName}";

    static IProgress<MigrationStep> Progress(TextWriter output) => new SynchronousProgress<MigrationStep>(step =>
    {
        switch (step.Kind)
        {
            case MigrationStepKind.Started: output.Write($"  {step.File} ... "); break;
            case MigrationStepKind.Applied: output.WriteLine($"applied in {step.Duration.TotalMilliseconds:F0} ms"); break;
            case MigrationStepKind.Failed: output.WriteLine($"FAILED after {step.Duration.TotalMilliseconds:F0} ms"); break;
        }
    });

    static int Report(MigrationRunResult result, TextWriter output, TextWriter error)
    {
        if (result.Refusal is not null)
        {
            error.WriteLine($"Refused: {result.Refusal}");
            return 1;
        }
        if (result.Failure is not null)
        {
            error.WriteLine($"{result.Failure} — rolled back; nothing of this file was kept.");
            if (result.Applied.Count > 0)
                error.WriteLine($"Applied before the failure: {string.Join(", ", result.Applied)}");
            return 1;
        }
        output.WriteLine(result.Applied.Count == 0 ? "Nothing to apply: the database is up to date." : $"Applied {result.Applied.Count} migration(s).");
        if (result.Skipped.Count > 0)
            output.WriteLine(DemoDataNotApplied(result.Skipped));
        return 0;
    }

    /// <summary>
    /// Said whenever a run leaves demo data out: <c>dotnet run</c> forces Development through its
    /// launch profile, and the portal once seeded on that name alone.
    /// </summary>
    internal static string DemoDataNotApplied(IReadOnlyList<string> files) =>
        $"Demo data NOT applied: {string.Join(", ", files)} (demo accounts with published passwords). Demo data goes only into "
        + "the zero-setup database of dotnet run, or where SEED_DEMO_DATA=true is set; the environment name (Development under "
        + "dotnet run) never applies it. To add it on purpose: SEED_DEMO_DATA=true dotnet run --project MediConnect.Portal -- migrate run";

    static async Task<int> StatusAsync(MigrationRunner runner, TextWriter output)
    {
        var statuses = await runner.GetStatusAsync();
        var width = statuses.Count == 0 ? 0 : statuses.Max(s => s.Name.Length);
        foreach (var s in statuses)
        {
            var detail = s.State switch
            {
                MigrationState.Pending => "",
                MigrationState.Skipped => "demo data, not applied here (set SEED_DEMO_DATA=true to apply it)",
                MigrationState.Changed => $"file changed since applied (applied {s.AppliedChecksum?[..12]}, now {s.Checksum?[..12]})",
                _ => $"{s.AppliedAt!.Value.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)}  {s.DurationMs} ms  by {s.AppliedBy}"
                    + (s.State == MigrationState.Missing ? "  (file no longer in the folder)" : ""),
            };
            output.WriteLine($"  {s.State.ToString().ToLowerInvariant(),-8} {s.Name.PadRight(width)}  {detail}".TrimEnd());
        }
        var pending = statuses.Count(s => s.State == MigrationState.Pending);
        var changed = statuses.Count(s => s.State == MigrationState.Changed);
        var skipped = statuses.Count(s => s.State == MigrationState.Skipped);
        var version = statuses.LastOrDefault(s => s.State is MigrationState.Applied or MigrationState.Changed)?.Name ?? "(none applied)";
        output.WriteLine($"{statuses.Count(s => s.State == MigrationState.Applied)} applied, {pending} pending, {changed} changed"
            + (skipped > 0 ? $", {skipped} skipped (demo data is off here)" : "")
            + $". Database version: {version}");
        return changed > 0 ? 1 : 0;
    }

    /// <summary>
    /// Asks for the database's name first, as the admin page does: <c>dotnet run</c> runs as
    /// Development whatever database it points at, so the environment alone does not guard a
    /// production database.
    /// </summary>
    static async Task<int> RollbackAsync(MigrationRunner runner, DatabaseSettings settings, TextReader input, TextWriter output, TextWriter error)
    {
        if (runner.RollbackAllowed) // else the runner refuses, naming the environment
        {
            output.Write($"Rollback drops every table of {settings.SafeDescription}. Type the database name ({runner.DatabaseName}) to confirm: ");
            output.Flush();
            if (input.ReadLine()?.Trim() != runner.DatabaseName)
            {
                output.WriteLine();
                error.WriteLine("Refused: the database name was not typed; nothing was dropped.");
                return 1;
            }
        }
        await runner.RollbackAsync();
        output.WriteLine("Rolled back: every object the migrations created was dropped.");
        return 0;
    }
}
