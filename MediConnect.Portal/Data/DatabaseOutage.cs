using Npgsql;

namespace MediConnect.Portal.Data;

/// <summary>Why the database could not serve a request, when that is not the request's fault.</summary>
public enum OutageKind
{
    /// <summary>PostgreSQL cannot serve the portal (refused, reset, timed out, shutting down, read-only, no primary among the hosts, too many connections).</summary>
    Unreachable,

    /// <summary>Every pooled connection stayed busy until the pool's timeout.</summary>
    PoolExhausted,
}

/// <summary>
/// Tells a database outage (worth a "retrying" page and a calm warning) from a failure of the
/// request itself (worth "could not save, nothing was changed").
/// </summary>
public static class DatabaseOutage
{
    /// <summary>The outage behind <paramref name="error"/> (looked for through inner exceptions), or null when it is no outage.</summary>
    public static OutageKind? Classify(Exception? error)
    {
        foreach (var e in Chain(error))
        {
            if (e is NpgsqlException { InnerException: TimeoutException } && e.Message.Contains("pool has been exhausted", StringComparison.Ordinal))
                return OutageKind.PoolExhausted;
            if (IsUnavailable(e))
                return OutageKind.Unreachable;
        }
        // A server that refuses the portal itself (wrong password, unknown database, TLS) is an outage too: nothing a request did.
        return IsDatabaseError(error) && DatabaseRefusal.IsRefusal(error) ? OutageKind.Unreachable : null;
    }

    /// <summary>
    /// A server that cannot serve the portal right now: gone, shutting down, read-only (a demoted
    /// primary, or a standby), or no host of a multi-host connection string is the one asked for.
    /// </summary>
    static bool IsUnavailable(Exception e) => e switch
    {
        PostgresException p => p.IsTransient || p.SqlState is PostgresErrorCodes.ReadOnlySqlTransaction
            or PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow,
        // Npgsql's multi-host data source when no host has the wanted state (Target Session Attributes=primary during a failover).
        NpgsqlException n => n.IsTransient || n.Message.StartsWith("No suitable host was found", StringComparison.Ordinal),
        _ => false,
    };

    /// <summary><paramref name="error"/> and its inner exceptions, every branch of an <see cref="AggregateException"/> included (Npgsql's multi-host failures).</summary>
    static IEnumerable<Exception> Chain(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
                foreach (var inner in aggregate.InnerExceptions.Skip(1).SelectMany(Chain))
                    yield return inner;
        }
    }

    /// <summary>
    /// What a form shows when saving met an outage (null when <paramref name="error"/> is no outage):
    /// the form keeps what the user entered, so trying again later is one click.
    /// </summary>
    public static string? FormMessage(Exception error) => Classify(error) switch
    {
        OutageKind.Unreachable => "Not saved: the portal cannot reach its database right now. What you entered is still here; try again in a moment.",
        OutageKind.PoolExhausted => "Not saved: the portal is busy right now. What you entered is still here; try again in a few seconds.",
        _ => null,
    };

    /// <summary>Any error the database or its driver raised (an outage or not).</summary>
    public static bool IsDatabaseError(Exception? error) =>
        Chain(error).Any(e => e is NpgsqlException);
}

/// <summary>
/// One warning line per burst of outage failures instead of a stack trace per request: the first
/// failure of a kind is logged at once, later ones within <see cref="Calm"/> are only counted and
/// reported with the next line. Pool exhaustion lines carry the pool figures.
/// </summary>
public sealed class OutageLog(ILogger<OutageLog> logger, PoolStatistics pool, TimeProvider clock)
{
    public static readonly TimeSpan Calm = TimeSpan.FromSeconds(30);
    readonly Lock _gate = new();
    readonly Dictionary<OutageKind, (DateTimeOffset Logged, int Suppressed)> _bursts = [];

    public void Record(OutageKind kind, Exception error)
    {
        int suppressed;
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (_bursts.TryGetValue(kind, out var burst) && now - burst.Logged < Calm)
            {
                _bursts[kind] = burst with { Suppressed = burst.Suppressed + 1 };
                return;
            }
            suppressed = burst.Suppressed;
            _bursts[kind] = (now, 0);
        }
        if (kind == OutageKind.PoolExhausted)
        {
            var p = pool.Snapshot();
            logger.LogWarning(
                "Database connection pool exhausted: requests answered 503 (pool {Busy} busy / {Max} max, {Waiting} waiting, {Timeouts} timeouts so far; {Suppressed} more since the last line)",
                p.Busy, p.Max, p.Waiting, p.Timeouts, suppressed);
        }
        else
            logger.LogWarning("Database unreachable: requests answered 503 and retried ({Reason}; {Suppressed} more since the last line)",
                Innermost(error).Message, suppressed);
    }

    static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;
}
