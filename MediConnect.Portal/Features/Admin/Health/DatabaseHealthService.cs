using MediConnect.Portal.Data;
using MediConnect.Portal.Security;

namespace MediConnect.Portal.Features.Admin.Health;

public sealed record TableSize(string TableName, long TotalBytes, long TableBytes, long EstimatedRows);

/// <summary>A connection to this database as <c>pg_stat_activity</c> lists it; the query text is left out on purpose.</summary>
public sealed record ActiveConnection(int Pid, string? Usename, string? ApplicationName, string? ClientAddr, string? State, DateTime? QueryStart);

/// <summary>The server as the health page shows it; <see cref="SampledAt"/> is when it was read (<see cref="DatabaseHealthSampler"/>).</summary>
public sealed record DatabaseHealth(
    ConnectionTestResult Connection,
    long DatabaseSizeBytes,
    IReadOnlyList<ActiveConnection> Connections,
    long SlowQueries,
    DateTimeOffset SampledAt,
    ReadSourceStatus? Reads = null);

/// <summary>
/// The health page's figures for admins: pool statistics from this instance's meter, and the
/// database's round trip, sizes and connections as <see cref="DatabaseHealthSampler"/> last read
/// them. Every query is fixed; nothing on the page runs SQL the admin types.
/// </summary>
public sealed class DatabaseHealthService(ICurrentUser currentUser, PoolStatistics pool, DatabaseHealthSampler sampler)
{
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
        return await sampler.HealthAsync(ct);
    }

    /// <summary>Size of every table of the public schema, indexes and TOAST included, largest first.</summary>
    public async Task<IReadOnlyList<TableSize>> GetTableSizesAsync(CancellationToken ct = default)
    {
        await currentUser.RequireAsync(Roles.Admin);
        return await sampler.TableSizesAsync(ct);
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
