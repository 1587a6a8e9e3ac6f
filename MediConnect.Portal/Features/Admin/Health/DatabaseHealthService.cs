using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Admin.Health;

public sealed record TableSize(string TableName, long TotalBytes, long TableBytes, long EstimatedRows);

/// <summary>A connection to this database as <c>pg_stat_activity</c> lists it; the query text is left out on purpose.</summary>
public sealed record ActiveConnection(int Pid, string? Usename, string? ApplicationName, string? ClientAddr, string? State, DateTime? QueryStart);

public sealed record DatabaseHealth(
    ConnectionTestResult Connection,
    long DatabaseSizeBytes,
    IReadOnlyList<ActiveConnection> Connections,
    long SlowQueries,
    ReadSourceStatus? Reads = null);

/// <summary>
/// The health page's figures: pool statistics, round trip, sizes and connections. Every query
/// here is fixed; nothing on the page runs SQL the admin types. Table sizes may lag a moment:
/// they come from the standby when there is one.
/// </summary>
public sealed class DatabaseHealthService(
    NpgsqlDataSource db,
    LagTolerantReads reads,
    ICurrentUser currentUser,
    PoolStatistics pool,
    DatabaseProbe probe,
    SlowQueryLog slowQueries)
{
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

    /// <summary>The pool right now, from Npgsql's meter.</summary>
    public async Task<PoolSnapshot> GetPoolAsync()
    {
        await currentUser.RequireAsync(Roles.Admin);
        return pool.Snapshot();
    }

    /// <summary>Round trip and server version, database size, connections to this database, slow queries since start, and where lag-tolerant reads go.</summary>
    public async Task<DatabaseHealth> GetHealthAsync(CancellationToken ct = default)
    {
        await currentUser.RequireAsync(Roles.Admin);
        var connection = await probe.TestConnectionAsync(ct);
        if (!connection.Reachable)
            return new DatabaseHealth(connection, 0, [], slowQueries.Count);
        var size = await db.QueryOneAsync<long>(DatabaseSizeSql, ct: ct);
        var connections = await db.QueryListAsync<ActiveConnection>(ConnectionsSql, ct: ct);
        return new DatabaseHealth(connection, size, connections, slowQueries.Count, await reads.DescribeAsync(ct));
    }

    /// <summary>Size of every table of the public schema, indexes and TOAST included, largest first.</summary>
    public async Task<IReadOnlyList<TableSize>> GetTableSizesAsync(CancellationToken ct = default)
    {
        await currentUser.RequireAsync(Roles.Admin);
        return await reads.QueryListAsync<TableSize>(TableSizesSql, ct: ct);
    }

    /// <summary>"1.4 MB" and the like.</summary>
    public static string FormatBytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:F1} kB",
        < 1024L * 1024 * 1024 => $"{bytes / 1024.0 / 1024:F1} MB",
        _ => $"{bytes / 1024.0 / 1024 / 1024:F2} GB",
    };
}
