namespace MediConnect.Portal.Data.Migrations;

/// <summary>A migration file as found on disk, with the checksum of its text.</summary>
public sealed record MigrationFile(string Name, string Sql, string Checksum)
{
    /// <summary>Demo data (accounts with published passwords, sample records): files named <c>NNN_seed_demo_*.sql</c>.</summary>
    public bool IsDemoData => IsDemoDataName(Name);

    public static bool IsDemoDataName(string name)
    {
        var underscore = name.IndexOf('_', StringComparison.Ordinal);
        return underscore > 0 && name[..underscore].All(char.IsAsciiDigit)
            && name.AsSpan(underscore + 1).StartsWith("seed_demo", StringComparison.Ordinal);
    }
}

public enum MigrationState
{
    Applied,
    Pending,
    /// <summary>The file's checksum differs from the one recorded when it was applied.</summary>
    Changed,
    /// <summary>The journal records the file but it is no longer in the folder.</summary>
    Missing,
    /// <summary>
    /// A demo-data file not applied because demo data is off here (any database but the zero-setup
    /// cluster, without <c>SEED_DEMO_DATA=true</c>). The journal has no row for it; turning the setting on makes it pending.
    /// </summary>
    Skipped,
}

/// <summary>One row of <c>migrate status</c>: a file and what the journal says of it.</summary>
public sealed record MigrationStatus(
    string Name,
    MigrationState State,
    string? Checksum,
    string? AppliedChecksum,
    DateTimeOffset? AppliedAt,
    int? DurationMs,
    string? AppliedBy)
{
    public string StateLabel => State switch
    {
        MigrationState.Applied => "Applied",
        MigrationState.Pending => "Pending",
        MigrationState.Changed => "Changed since applied",
        MigrationState.Skipped => "Skipped (demo data)",
        _ => "Applied, file missing",
    };

    public const string SkippedAdvice =
        "Demo data (accounts with published passwords) goes only into the zero-setup database of dotnet run, whatever the "
        + "environment name. Nothing is recorded for it; to add it on purpose, set SEED_DEMO_DATA=true and run the pending migrations.";

    /// <summary>What an operator should do about this file, when anything.</summary>
    public string? Advice => State switch
    {
        MigrationState.Changed =>
            "This file was edited after it was applied, so nothing can run. Restore the applied version of the file "
            + "(its checksum starts " + AppliedChecksum?[..12] + ") and put the change in a new migration file.",
        MigrationState.Missing => "The database applied this file but it is no longer in the migrations folder. Put it back.",
        MigrationState.Skipped => SkippedAdvice,
        _ => null,
    };
}

public enum MigrationStepKind { Started, Applied, Failed }

/// <summary>Progress of a run, reported file by file to the CLI and the admin page alike.</summary>
public sealed record MigrationStep(string File, MigrationStepKind Kind, TimeSpan Duration = default, string? Error = null);

/// <summary>Where and why a file failed. <see cref="Line"/> is 1-based within the file, when known.</summary>
public sealed record MigrationFailure(string File, string Message, int? Line, string? SqlState)
{
    public override string ToString() =>
        Line is null ? $"{File} failed: {Message}" : $"{File} failed at line {Line}: {Message}";
}

/// <summary>
/// What a run did: the files applied, and either nothing else (success), the failure that
/// stopped it, or the reason it refused to start (a file changed since it was applied).
/// </summary>
public sealed record MigrationRunResult(IReadOnlyList<string> Applied, MigrationFailure? Failure = null, string? Refusal = null)
{
    /// <summary>Demo-data files left out because demo data is off here (never recorded in the journal).</summary>
    public IReadOnlyList<string> Skipped { get; init; } = [];

    public bool Succeeded => Failure is null && Refusal is null;

    /// <summary>The outcome in a sentence: success, a refusal, or the failing file, line and PostgreSQL's message.</summary>
    public string Summary => (Failure, Refusal) switch
    {
        (not null, _) => $"{Failure} The file was rolled back: the database is as it was before it."
            + (Applied.Count > 0 ? $" Applied before the failure: {string.Join(", ", Applied)}." : ""),
        (_, not null) => $"Refused: {Refusal}",
        _ when Applied.Count == 0 => "Nothing to apply: the database is up to date." + SkippedNote,
        _ => $"Applied {Applied.Count} migration(s): {string.Join(", ", Applied)}." + SkippedNote,
    };

    string SkippedNote => Skipped.Count == 0 ? "" : $" Skipped {string.Join(", ", Skipped)}: demo data is off here (SEED_DEMO_DATA=true applies it).";
}

/// <summary>A migration command that cannot be carried out (unknown file, rollback outside Development, missing folder).</summary>
public sealed class MigrationException(string message) : Exception(message);
