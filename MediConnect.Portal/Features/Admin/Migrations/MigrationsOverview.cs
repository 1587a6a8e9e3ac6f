using MediConnect.Portal.Data.Migrations;

namespace MediConnect.Portal.Features.Admin.Migrations;

/// <summary>The migrations page: every file, the database's version and what can be done now.</summary>
public sealed record MigrationsOverview(
    IReadOnlyList<MigrationStatus> Rows,
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

    /// <summary>Demo-data files not applied because demo data is off here.</summary>
    public IReadOnlyList<string> Skipped => [.. Rows.Where(r => r.State == MigrationState.Skipped).Select(r => r.Name)];

    /// <summary>A changed file blocks every run until it is restored.</summary>
    public bool CanRun => Pending.Count > 0 && Changed.Count == 0;
}
