using MediConnect.Portal.Data;
using MediConnect.Portal.Data.Migrations;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Admin.Home;

public sealed record RoleCount(string Role, long Active, long Inactive);

/// <summary>The admin home at a glance.</summary>
public sealed record AdminOverview(
    IReadOnlyList<RoleCount> Users,
    long AppointmentsToday,
    int PendingMigrations,
    int ChangedMigrations,
    string DatabaseVersion,
    ConnectionTestResult Database,
    PoolSnapshot Pool,
    long SlowQueries);

public sealed class AdminOverviewService(
    NpgsqlDataSource db,
    ICurrentUser currentUser,
    MigrationRunner migrations,
    DatabaseProbe probe,
    PoolStatistics pool,
    SlowQueryLog slowQueries,
    TimeProvider clock)
{
    const string UsersByRoleSql = """
        SELECT role,
               count(*) FILTER (WHERE is_active)     AS active,
               count(*) FILTER (WHERE NOT is_active) AS inactive
        FROM users
        GROUP BY role
        ORDER BY role
        """;

    const string AppointmentsTodaySql = "SELECT count(*) FROM appointments WHERE appointment_date = @today AND status <> 'cancelled'";

    public async Task<AdminOverview> GetAsync(CancellationToken ct = default)
    {
        await currentUser.RequireAsync(Roles.Admin);
        var database = await probe.TestConnectionAsync(ct);
        var statuses = await migrations.GetStatusAsync(ct);
        var users = await db.QueryListAsync<RoleCount>(UsersByRoleSql, ct: ct);
        var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        var appointments = await db.QueryOneAsync<long>(AppointmentsTodaySql, new { today }, ct);
        return new AdminOverview(
            users,
            appointments,
            statuses.Count(s => s.State == MigrationState.Pending),
            statuses.Count(s => s.State == MigrationState.Changed),
            statuses.LastOrDefault(s => s.State is MigrationState.Applied or MigrationState.Changed)?.Name ?? "(none applied)",
            database,
            pool.Snapshot(),
            slowQueries.Count);
    }
}
