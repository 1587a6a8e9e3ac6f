using MediConnect.Portal.Data;
using MediConnect.Portal.Data.Migrations;
using MediConnect.Portal.Security;

namespace MediConnect.Portal.Features.Admin.Home;

/// <summary>The admin home at a glance. <see cref="Counts"/> may be up to <see cref="ClinicTotals.Interval"/> old.</summary>
public sealed record AdminOverview(
    ClinicCounts Counts,
    int PendingMigrations,
    int ChangedMigrations,
    string DatabaseVersion,
    ConnectionTestResult Database,
    PoolSnapshot Pool,
    long SlowQueries);

public sealed class AdminOverviewService(
    ICurrentUser currentUser,
    MigrationRunner migrations,
    DatabaseProbe probe,
    PoolStatistics pool,
    SlowQueryLog slowQueries,
    ClinicTotals totals)
{
    public async Task<AdminOverview> GetAsync(CancellationToken ct = default)
    {
        await currentUser.RequireAsync(Roles.Admin);
        var database = await probe.TestConnectionAsync(ct);
        var statuses = await migrations.GetStatusAsync(ct);
        return new AdminOverview(
            await totals.GetAsync(ct),
            statuses.Count(s => s.State == MigrationState.Pending),
            statuses.Count(s => s.State == MigrationState.Changed),
            statuses.LastOrDefault(s => s.State is MigrationState.Applied or MigrationState.Changed)?.Name ?? "(none applied)",
            database,
            pool.Snapshot(),
            slowQueries.Count);
    }
}
