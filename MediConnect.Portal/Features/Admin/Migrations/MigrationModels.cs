using MediConnect.Portal.Data.Migrations;

namespace MediConnect.Portal.Features.Admin.Migrations;

/// <summary>One migration file as the admin page shows it.</summary>
public sealed record MigrationRow(
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
        _ => "Applied, file missing",
    };

    /// <summary>What the admin should do about this file, when anything.</summary>
    public string? Advice => State switch
    {
        MigrationState.Changed =>
            "This file was edited after it was applied, so nothing can run. Restore the applied version of the file "
            + "(its checksum starts " + AppliedChecksum?[..12] + ") and put the change in a new migration file.",
        MigrationState.Missing => "The database applied this file but it is no longer in the migrations folder. Put it back.",
        _ => null,
    };

    public static MigrationRow From(MigrationStatus s) =>
        new(s.Name, s.State, s.Checksum, s.AppliedChecksum, s.AppliedAt, s.DurationMs, s.AppliedBy);
}

/// <summary>The migrations page: every file, the database's version and what can be done now.</summary>
public sealed record MigrationsOverview(
    IReadOnlyList<MigrationRow> Rows,
    string DatabaseName,
    string Folder,
    bool RollbackAllowed)
{
    /// <summary>The last applied file, or "(none applied)".</summary>
    public string CurrentVersion =>
        Rows.LastOrDefault(r => r.State is MigrationState.Applied or MigrationState.Changed)?.Name ?? "(none applied)";

    public IReadOnlyList<string> Pending => [.. Rows.Where(r => r.State == MigrationState.Pending).Select(r => r.Name)];

    public IReadOnlyList<string> Changed => [.. Rows.Where(r => r.State == MigrationState.Changed).Select(r => r.Name)];

    public int AppliedCount => Rows.Count(r => r.State == MigrationState.Applied);

    /// <summary>A changed file blocks every run until it is restored.</summary>
    public bool CanRun => Pending.Count > 0 && Changed.Count == 0;
}

/// <summary>The end of a run as the page reports it: success, a refusal, or the failing file, line and PostgreSQL's message.</summary>
public sealed record MigrationRunView(IReadOnlyList<string> Applied, MigrationFailure? Failure, string? Refusal)
{
    public bool Succeeded => Failure is null && Refusal is null;

    public string Summary => (Failure, Refusal) switch
    {
        (not null, _) => $"{Failure} The file was rolled back: the database is as it was before it."
            + (Applied.Count > 0 ? $" Applied before the failure: {string.Join(", ", Applied)}." : ""),
        (_, not null) => $"Refused: {Refusal}",
        _ when Applied.Count == 0 => "Nothing to apply: the database is up to date.",
        _ => $"Applied {Applied.Count} migration(s): {string.Join(", ", Applied)}.",
    };

    public static MigrationRunView From(MigrationRunResult result) => new(result.Applied, result.Failure, result.Refusal);
}
