using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Npgsql;

namespace MediConnect.Portal.Data.Migrations;

/// <summary>
/// Applies the SQL files of the migrations folder in name order. Each file commits together
/// with its journal row or not at all; a PostgreSQL advisory lock makes concurrent runs (two
/// instances, two clicks) wait for each other; a file changed since it was applied blocks the
/// run instead of being re-run. The CLI and the admin page both drive this one class.
/// </summary>
public sealed class MigrationRunner(
    NpgsqlDataSource dataSource,
    MigrationOptions options,
    IHostEnvironment environment,
    ILogger<MigrationRunner> logger)
{
    /// <summary>The advisory-lock key of migration runs ("MediConnect" as a number).</summary>
    const long LockKey = 0x4D656469436F6E;

    const string CreateJournalSql = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            id          SERIAL PRIMARY KEY,
            file_name   TEXT NOT NULL UNIQUE,
            checksum    TEXT NOT NULL,
            applied_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
            duration_ms INT NOT NULL,
            applied_by  TEXT NOT NULL
        )
        """;

    public string Folder => options.Folder;

    /// <summary>The name of the database the runner migrates (typed by an admin to confirm a rollback).</summary>
    public string DatabaseName => new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).Database ?? "";

    /// <summary>Whether <see cref="RollbackAsync"/> may run here: only in Development.</summary>
    public bool RollbackAllowed => environment.IsDevelopment();

    /// <summary>
    /// Whether demo-data files (<see cref="MigrationFile.IsDemoData"/>) apply here (<see cref="MigrationOptions.SeedDemoData"/>).
    /// When they do not, status shows them as skipped and no run applies them.
    /// </summary>
    public bool SeedDemoData => options.SeedDemoData;

    /// <summary>The files last read, and the names, sizes and write times they were read at.</summary>
    sealed record FilesRead(string Stamp, IReadOnlyList<MigrationFile> Files);

    FilesRead? _lastRead;

    /// <summary>
    /// The migration files on disk, in the order they apply. Statuses (the admin home asks on every
    /// opening) read and hash them again only when one was added, removed or written since;
    /// <paramref name="fresh"/> always reads them (a run applies exactly what is on disk).
    /// </summary>
    public IReadOnlyList<MigrationFile> LoadFiles(bool fresh = false)
    {
        if (!Directory.Exists(options.Folder))
            throw new MigrationException($"The migrations folder '{options.Folder}' does not exist (set MIGRATIONS_DIR to change it).");

        var onDisk = new DirectoryInfo(options.Folder).GetFiles("*.sql").OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        var stamp = string.Join('\n', onDisk.Select(f => $"{f.Name}\t{f.Length}\t{f.LastWriteTimeUtc.Ticks}"));
        if (!fresh && _lastRead is { } last && last.Stamp == stamp)
            return last.Files;
        IReadOnlyList<MigrationFile> files = [.. onDisk.Select(f =>
        {
            var sql = File.ReadAllText(f.FullName);
            return new MigrationFile(f.Name, sql, Checksum(sql));
        })];
        _lastRead = new FilesRead(stamp, files);
        return files;
    }

    /// <summary>SHA-256 of the text with line endings normalised, so a checkout's line-ending setting does not count as a change.</summary>
    public static string Checksum(string sql) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql.ReplaceLineEndings("\n"))));

    /// <summary>Every file with its state, then any journal entry whose file is gone.</summary>
    public async Task<IReadOnlyList<MigrationStatus>> GetStatusAsync(CancellationToken ct = default)
    {
        var files = LoadFiles();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var journal = await ReadJournalAsync(connection, ct);
        return Describe(files, journal, SeedDemoData);
    }

    /// <summary>Applies every pending file, in name order, stopping at the first failure.</summary>
    public Task<MigrationRunResult> RunPendingAsync(string appliedBy, IProgress<MigrationStep>? progress = null, CancellationToken ct = default) =>
        RunAsync(statuses => [.. statuses.Where(s => s.State == MigrationState.Pending).Select(s => s.Name)], appliedBy, progress, ct);

    /// <summary>Applies one file by name (the CLI's <c>specific</c>); a no-op when it is already applied.</summary>
    public Task<MigrationRunResult> RunFileAsync(string fileName, string appliedBy, IProgress<MigrationStep>? progress = null, CancellationToken ct = default) =>
        RunAsync(statuses =>
        {
            var status = statuses.FirstOrDefault(s => s.Name == fileName && s.State != MigrationState.Missing)
                ?? throw new MigrationException($"There is no migration file named '{fileName}' in {options.Folder}.");
            if (status.State == MigrationState.Skipped)
                throw new MigrationException($"{fileName} is demo data (accounts with published passwords) and demo data is off here: "
                    + "set SEED_DEMO_DATA=true to apply it on purpose (the environment name never turns it on).");
            return status.State == MigrationState.Pending ? [fileName] : [];
        }, appliedBy, progress, ct);

    async Task<MigrationRunResult> RunAsync(
        Func<IReadOnlyList<MigrationStatus>, IReadOnlyList<string>> choose,
        string appliedBy,
        IProgress<MigrationStep>? progress,
        CancellationToken ct)
    {
        var files = LoadFiles(fresh: true);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var runLock = await AdvisoryLock.AcquireAsync(connection, LockKey, ct);
        await connection.ExecuteAsync(new CommandDefinition(CreateJournalSql, cancellationToken: ct));

        // Read the journal only once the lock is held: a run that waited sees what the first one applied.
        var statuses = Describe(files, await ReadJournalAsync(connection, ct), SeedDemoData);
        var changed = statuses.Where(s => s.State == MigrationState.Changed).Select(s => s.Name).ToList();
        if (changed.Count > 0)
        {
            var refusal = $"{string.Join(", ", changed)} changed since applied. Restore the applied version of the file "
                + "and put the change in a new migration file; nothing was run.";
            logger.LogError("Migration run refused: {Refusal}", refusal);
            return new MigrationRunResult([], Refusal: refusal);
        }

        var applied = new List<string>();
        foreach (var name in choose(statuses))
        {
            var file = files.Single(f => f.Name == name);
            progress?.Report(new MigrationStep(name, MigrationStepKind.Started));
            var failure = await ApplyAsync(connection, file, appliedBy, ct);
            if (failure.Failure is not null)
            {
                progress?.Report(new MigrationStep(name, MigrationStepKind.Failed, failure.Duration, failure.Failure.Message));
                return new MigrationRunResult(applied, failure.Failure);
            }
            applied.Add(name);
            progress?.Report(new MigrationStep(name, MigrationStepKind.Applied, failure.Duration));
        }
        return new MigrationRunResult(applied)
        {
            Skipped = [.. statuses.Where(s => s.State == MigrationState.Skipped).Select(s => s.Name)],
        };
    }

    async Task<(TimeSpan Duration, MigrationFailure? Failure)> ApplyAsync(NpgsqlConnection connection, MigrationFile file, string appliedBy, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var statements = SqlScript.Split(file.Sql);
        var current = 0;
        await using var transaction = await connection.BeginTransactionAsync(ct);
        try
        {
            // One statement at a time, so a failure names its statement (Npgsql does not say which one of a batch failed).
            for (; current < statements.Count; current++)
            {
                await using var command = new NpgsqlCommand(statements[current].Text, connection, transaction) { CommandTimeout = 0 };
                await command.ExecuteNonQueryAsync(ct);
            }

            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO schema_migrations (file_name, checksum, duration_ms, applied_by)
                VALUES (@Name, @Checksum, @DurationMs, @AppliedBy)
                """,
                new { file.Name, file.Checksum, DurationMs = (int)watch.ElapsedMilliseconds, AppliedBy = appliedBy },
                transaction, cancellationToken: ct));
            await transaction.CommitAsync(ct);
            logger.LogInformation("Applied migration {File} in {DurationMs} ms", file.Name, watch.ElapsedMilliseconds);
            return (watch.Elapsed, null);
        }
        catch (PostgresException e)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            var failure = new MigrationFailure(file.Name, $"{e.MessageText} (SQLSTATE {e.SqlState})", FailingLine(file.Sql, current < statements.Count ? statements[current] : null, e), e.SqlState);
            logger.LogError("Migration {File} failed and was rolled back: {Failure}", file.Name, failure.ToString());
            return (watch.Elapsed, failure);
        }
    }

    /// <summary>
    /// The 1-based line of the file where the failing statement starts, or where the failing
    /// token is when PostgreSQL gives its position within the statement.
    /// </summary>
    static int? FailingLine(string sql, SqlStatement? statement, PostgresException e)
    {
        if (statement is null)
            return null; // the journal insert failed, not the file
        var offset = statement.Offset + Math.Max(0, e.Position - 1);
        return sql.AsSpan(0, Math.Min(offset, sql.Length)).Count('\n') + 1;
    }

    /// <summary>
    /// Drops everything the migrations created (the whole <c>public</c> schema, journal
    /// included). Development only: refused in every other environment.
    /// </summary>
    public async Task RollbackAsync(CancellationToken ct = default)
    {
        if (!RollbackAllowed)
            throw new MigrationException($"Rollback drops every table and is allowed only in Development; this is {environment.EnvironmentName}.");

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var runLock = await AdvisoryLock.AcquireAsync(connection, LockKey, ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "DROP SCHEMA public CASCADE; CREATE SCHEMA public;", commandTimeout: 0, cancellationToken: ct));
        logger.LogWarning("Rolled back all migrations: the public schema was dropped and recreated");
    }

    static async Task<IReadOnlyList<JournalRow>> ReadJournalAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT to_regclass('schema_migrations') IS NOT NULL", cancellationToken: ct));
        if (!exists)
            return [];
        return [.. await connection.QueryAsync<JournalRow>(new CommandDefinition(
            "SELECT file_name, checksum, applied_at, duration_ms, applied_by FROM schema_migrations ORDER BY file_name",
            cancellationToken: ct))];
    }

    /// <summary>
    /// What the journal says of each file. A demo-data file the journal does not know is skipped
    /// while demo data is off, and pending once it is on: the journal only ever records what ran.
    /// </summary>
    static IReadOnlyList<MigrationStatus> Describe(IReadOnlyList<MigrationFile> files, IReadOnlyList<JournalRow> journal, bool seedDemoData)
    {
        var byName = journal.ToDictionary(row => row.FileName, StringComparer.Ordinal);
        var onDisk = files.Select(file => byName.TryGetValue(file.Name, out var row)
            ? new MigrationStatus(file.Name, row.Checksum == file.Checksum ? MigrationState.Applied : MigrationState.Changed,
                file.Checksum, row.Checksum, AsUtc(row.AppliedAt), row.DurationMs, row.AppliedBy)
            : new MigrationStatus(file.Name, file.IsDemoData && !seedDemoData ? MigrationState.Skipped : MigrationState.Pending,
                file.Checksum, null, null, null, null));
        var gone = journal.Where(row => files.All(f => f.Name != row.FileName))
            .Select(row => new MigrationStatus(row.FileName, MigrationState.Missing, null, row.Checksum, AsUtc(row.AppliedAt), row.DurationMs, row.AppliedBy));
        return [.. onDisk, .. gone];
    }

    static DateTimeOffset AsUtc(DateTime utc) => new(DateTime.SpecifyKind(utc, DateTimeKind.Utc));

    sealed record JournalRow(string FileName, string Checksum, DateTime AppliedAt, int DurationMs, string AppliedBy);
}
