using MediConnect.Portal.Data;
using Npgsql;

namespace MediConnect.Portal.Features.Admin.Home;

public sealed record RoleCount(string Role, long Active, long Inactive);

/// <summary>The admin home's counts over the whole clinic, and when they were counted.</summary>
public sealed record ClinicCounts(IReadOnlyList<RoleCount> Users, long AppointmentsToday, DateTimeOffset CountedAt);

/// <summary>
/// Users by role and today's appointments across every doctor. A clinic chain has 100,000 users, so
/// this portal instance counts at most once per <see cref="Interval"/> and every admin opening the
/// home page in between sees that count (with its time). Singleton; callers check access first.
/// </summary>
public sealed class ClinicTotals
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    const string UsersByRoleSql = """
        SELECT role,
               count(*) FILTER (WHERE is_active)     AS active,
               count(*) FILTER (WHERE NOT is_active) AS inactive
        FROM users
        GROUP BY role
        ORDER BY role
        """;

    const string AppointmentsTodaySql = "SELECT count(*) FROM appointments WHERE appointment_date = @today AND status <> 'cancelled'";

    readonly SharedReading<ClinicCounts> _reading;

    public ClinicTotals(NpgsqlDataSource db, TimeProvider clock) =>
        _reading = new SharedReading<ClinicCounts>(Interval, clock, async () =>
        {
            var at = clock.GetUtcNow();
            var users = await db.QueryListAsync<RoleCount>(UsersByRoleSql);
            var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
            return new ClinicCounts(users, await db.QueryOneAsync<long>(AppointmentsTodaySql, new { today }), at);
        });

    public Task<ClinicCounts> GetAsync(CancellationToken ct = default) => _reading.GetAsync(ct);
}
