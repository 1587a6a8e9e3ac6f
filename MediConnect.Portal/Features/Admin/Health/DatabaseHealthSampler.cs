using MediConnect.Portal.Data;
using Npgsql;

namespace MediConnect.Portal.Features.Admin.Health;

/// <summary>
/// The database figures of the health page, read at most once per <see cref="Interval"/> by this
/// portal instance however many admins have the page open: every open page refreshes every two
/// seconds, and sizes (which stat every file of the database), connections and the round trip are
/// the same for all of them. Table sizes may lag a moment: they come from the standby when there is
/// one. Singleton; callers check access first.
/// </summary>
public sealed class DatabaseHealthSampler
{
    /// <summary>The health page's refresh interval.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    const string DatabaseSizeSql = "SELECT pg_database_size(current_database())";

    const string TableSizesSql = """
        SELECT c.relname                           AS table_name,
               pg_total_relation_size(c.oid)       AS total_bytes,
               pg_relation_size(c.oid)             AS table_bytes,
               -- a standby keeps no row statistics of its own: the planner's estimate is replicated
               coalesce(nullif(s.n_live_tup, 0), greatest(c.reltuples, 0)::bigint) AS estimated_rows
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
        ORDER BY total_bytes DESC, table_name
        """;

    const string ConnectionsSql = """
        SELECT pid, usename::text AS usename, application_name, host(client_addr) AS client_addr, state, query_start
        FROM pg_stat_activity
        WHERE datname = current_database()
        ORDER BY query_start DESC NULLS LAST, pid
        """;

    readonly NpgsqlDataSource _db;
    readonly LagTolerantReads _reads;
    readonly DatabaseProbe _probe;
    readonly SlowQueryLog _slowQueries;
    readonly TimeProvider _clock;
    readonly SharedReading<DatabaseHealth> _health;
    readonly SharedReading<IReadOnlyList<TableSize>> _tables;

    public DatabaseHealthSampler(NpgsqlDataSource db, LagTolerantReads reads, DatabaseProbe probe, SlowQueryLog slowQueries, TimeProvider clock)
    {
        (_db, _reads, _probe, _slowQueries, _clock) = (db, reads, probe, slowQueries, clock);
        _health = new SharedReading<DatabaseHealth>(Interval, clock, ReadHealthAsync);
        _tables = new SharedReading<IReadOnlyList<TableSize>>(Interval, clock, () => reads.QueryListAsync<TableSize>(TableSizesSql));
    }

    /// <summary>Round trip, size and connections as last read (at most <see cref="Interval"/> ago).</summary>
    public Task<DatabaseHealth> HealthAsync(CancellationToken ct = default) => _health.GetAsync(ct);

    /// <summary>The size of every table as last read (at most <see cref="Interval"/> ago).</summary>
    public Task<IReadOnlyList<TableSize>> TableSizesAsync(CancellationToken ct = default) => _tables.GetAsync(ct);

    async Task<DatabaseHealth> ReadHealthAsync()
    {
        var at = _clock.GetUtcNow();
        var connection = await _probe.TestConnectionAsync();
        if (!connection.Reachable)
            return new DatabaseHealth(connection, 0, [], _slowQueries.Count, at);
        var size = await _db.QueryOneAsync<long>(DatabaseSizeSql);
        var connections = await _db.QueryListAsync<ActiveConnection>(ConnectionsSql);
        return new DatabaseHealth(connection, size, connections, _slowQueries.Count, at, await _reads.DescribeAsync());
    }
}
