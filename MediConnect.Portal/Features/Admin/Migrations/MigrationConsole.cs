using MediConnect.Portal.Data.Migrations;
using MediConnect.Portal.Features.Shared.Live;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Admin.Migrations;

/// <summary>
/// The migrations page's service: drives the one <see cref="MigrationRunner"/> the CLI uses too,
/// and audits every action with the admin's id. Concurrent runs are serialised by the runner's
/// advisory lock, so a second run waits and then finds nothing left to do. Every run is told, file
/// by file, to the migrations page of every admin on every instance (<see cref="LiveEvent.MigrationsTable"/>).
/// </summary>
public sealed class MigrationConsole(
    MigrationRunner runner,
    NpgsqlDataSource db,
    ICurrentUser currentUser,
    AuditLog audit,
    ILogger<MigrationConsole> logger)
{
    readonly HashSet<string> _ownRuns = [];

    public async Task<MigrationsOverview> GetOverviewAsync(CancellationToken ct = default)
    {
        await currentUser.RequireAsync(Roles.Admin);
        var statuses = await runner.GetStatusAsync(ct);
        return new MigrationsOverview(statuses, runner.DatabaseName, runner.Folder, runner.RollbackAllowed);
    }

    /// <summary>Applies every pending file in name order, reporting each step to <paramref name="progress"/>.</summary>
    public async Task<MigrationRunResult> RunPendingAsync(IProgress<MigrationStep>? progress = null, CancellationToken ct = default)
    {
        var admin = await currentUser.RequireAsync(Roles.Admin);
        var result = await BroadcastAsync(progress, told => runner.RunPendingAsync(AppliedBy(admin), told, ct));
        await AuditRunAsync("migration_run", null, result);
        return result;
    }

    public static readonly TextField FileName = new("The file name", 255, Missing: "Type the name of a migration file.");

    /// <summary>Applies one file by name (a no-op when it is already applied).</summary>
    public async Task<MigrationRunResult> RunFileAsync(string fileName, IProgress<MigrationStep>? progress = null, CancellationToken ct = default)
    {
        var admin = await currentUser.RequireAsync(Roles.Admin);
        if (FileName.Error(fileName) is { } error)
            throw new BusinessRuleException(error);
        try
        {
            var result = await BroadcastAsync(progress, told => runner.RunFileAsync(fileName.Trim(), AppliedBy(admin), told, ct));
            await AuditRunAsync("migration_run_file", fileName, result);
            return result;
        }
        catch (MigrationException e)
        {
            throw new BusinessRuleException(e.Message);
        }
    }

    /// <summary>
    /// Drops everything the migrations created. Development only, and only when
    /// <paramref name="typedDatabaseName"/> is the database's name. The audit row is written
    /// first; the rollback drops the audit table with everything else, so the log keeps a copy.
    /// </summary>
    public async Task RollbackAsync(string typedDatabaseName, CancellationToken ct = default)
    {
        var admin = await currentUser.RequireAsync(Roles.Admin);
        if (!runner.RollbackAllowed)
            throw new BusinessRuleException("Rollback drops every table and is allowed only in Development.");
        if (typedDatabaseName.Trim() != runner.DatabaseName)
            throw new BusinessRuleException($"Type the database name ({runner.DatabaseName}) exactly to confirm the rollback.");

        await audit.WriteAsync(db, "migration_rollback", "migration", null, new { database = runner.DatabaseName });
        logger.LogWarning("Admin {AdminId} rolled back every migration of database {Database}", admin.Id, runner.DatabaseName);
        try
        {
            await runner.RollbackAsync(ct);
        }
        catch (MigrationException e)
        {
            throw new BusinessRuleException(e.Message);
        }
        await PublishAsync(new LiveEvent(LiveEvent.MigrationsTable, "run_finished"));
    }

    /// <summary>True for progress of a run started here (this page shows those steps already).</summary>
    public bool IsOwnRun(LiveEvent progress)
    {
        lock (_ownRuns)
            return progress.Run is not null && _ownRuns.Contains(progress.Run);
    }

    /// <summary>The file step a progress event tells of, or null for the start or end of a run.</summary>
    public static MigrationStep? StepOf(LiveEvent progress) => progress.Op switch
    {
        "file_started" => new MigrationStep(progress.File ?? "", MigrationStepKind.Started),
        "file_applied" => new MigrationStep(progress.File ?? "", MigrationStepKind.Applied, TimeSpan.FromMilliseconds(progress.DurationMs ?? 0)),
        "file_failed" => new MigrationStep(progress.File ?? "", MigrationStepKind.Failed, TimeSpan.FromMilliseconds(progress.DurationMs ?? 0)),
        _ => null,
    };

    /// <summary>
    /// Runs <paramref name="run"/> and tells every admin's migrations page how it goes: run_started,
    /// each file, run_finished, in that order. The error text of a failed file is not published (it
    /// may quote data); pages read the outcome from the journal. Failing to publish never fails a run.
    /// </summary>
    async Task<MigrationRunResult> BroadcastAsync(IProgress<MigrationStep>? progress, Func<IProgress<MigrationStep>, Task<MigrationRunResult>> run)
    {
        var runId = Guid.NewGuid().ToString("N");
        lock (_ownRuns)
            _ownRuns.Add(runId);
        var told = PublishAsync(new LiveEvent(LiveEvent.MigrationsTable, "run_started") { Run = runId });
        var both = new SynchronousProgress<MigrationStep>(step =>
        {
            progress?.Report(step);
            var next = new LiveEvent(LiveEvent.MigrationsTable, $"file_{step.Kind.ToString().ToLowerInvariant()}")
            {
                Run = runId,
                File = step.File,
                DurationMs = (int)step.Duration.TotalMilliseconds,
            };
            told = told.ContinueWith(_ => PublishAsync(next), TaskScheduler.Default).Unwrap();
        });
        try
        {
            return await run(both);
        }
        finally
        {
            await told;
            await PublishAsync(new LiveEvent(LiveEvent.MigrationsTable, "run_finished") { Run = runId });
        }
    }

    async Task PublishAsync(LiveEvent progress)
    {
        try
        {
            await LiveEvent.PublishAsync(db, progress);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            logger.LogWarning("Could not tell other admins' pages of migration progress: {Error}", e.Message);
        }
    }

    static string AppliedBy(PortalUser admin) => $"web:{admin.Email}";

    async Task AuditRunAsync(string action, string? file, MigrationRunResult result)
    {
        try
        {
            await audit.WriteAsync(db, action, "migration", file, new
            {
                applied = result.Applied,
                failure = result.Failure?.ToString(),
                refusal = result.Refusal,
            });
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // Right after a rollback the audit table does not exist until 001 runs again.
            logger.LogWarning("Could not audit {Action} (no audit table yet): {Summary}", action, result.Summary);
        }
    }
}
