using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MediConnect.Portal.Data;

/// <summary>Which server answered the lag-tolerant reads just now, for the admin page.</summary>
/// <param name="ReplayAgeSeconds">On a standby, how long ago it replayed the primary's last transaction (grows while the primary is idle).</param>
/// <param name="StandbyError">Why the standby is being skipped, when it is.</param>
public sealed record ReadSourceStatus(bool StandbyConfigured, bool ServedByStandby, bool InRecovery, double? ReplayAgeSeconds, string? StandbyError);

/// <summary>
/// Reads that may be a moment behind the primary: lists, charts and statistics someone else's
/// writes fill. They go to the standby of <c>DATABASE_READ_URL</c> when one is configured and
/// answering, and to the primary otherwise. When the standby fails (stopped, unreachable, full,
/// a recovery conflict) the read is repeated on the primary and the standby is left alone for
/// <see cref="DatabaseSettings.ReadRecheckInterval"/>, so the portal carries on.
/// Never use this for a read that must show the user's own write: that read goes to the primary.
/// </summary>
public sealed class LagTolerantReads : IAsyncDisposable
{
    readonly NpgsqlDataSource _primary;
    readonly NpgsqlDataSource? _standby;
    readonly bool _ownsStandby;
    readonly TimeSpan _recheck;
    readonly TimeProvider _time;
    readonly ILogger _logger;
    readonly Lock _gate = new();
    long _skipStandbyUntil; // a TimeProvider timestamp; 0 while the standby is in use
    string? _standbyError;

    public LagTolerantReads(NpgsqlDataSource primary, NpgsqlDataSource? standby, TimeSpan recheckInterval, TimeProvider time, ILogger logger)
        : this(primary, standby, ownsStandby: false, recheckInterval, time, logger)
    {
    }

    LagTolerantReads(NpgsqlDataSource primary, NpgsqlDataSource? standby, bool ownsStandby, TimeSpan recheckInterval, TimeProvider time, ILogger logger)
    {
        _primary = primary;
        _standby = standby;
        _ownsStandby = ownsStandby;
        _recheck = recheckInterval;
        _time = time;
        _logger = logger;
    }

    /// <summary>The portal's reads: the standby of <paramref name="settings"/>, if any, in front of <paramref name="primary"/>.</summary>
    public static LagTolerantReads FromSettings(NpgsqlDataSource primary, DatabaseSettings settings, TimeProvider time, ILogger<LagTolerantReads> logger)
    {
        var standby = settings.ReadConnectionString is { } read
            ? new NpgsqlDataSourceBuilder(read) { Name = $"{settings.PoolName}/reads" }.Build()
            : null;
        if (standby is not null)
            logger.LogInformation("Lag-tolerant reads go to the standby {Standby}", DatabaseSettings.Describe(settings.ReadConnectionString!));
        return new LagTolerantReads(primary, standby, ownsStandby: true, settings.ReadRecheckInterval, time, logger);
    }

    /// <summary>Every read on <paramref name="primary"/>: a portal without a standby, and tests.</summary>
    public static LagTolerantReads PrimaryOnly(NpgsqlDataSource primary) =>
        new(primary, null, TimeSpan.Zero, TimeProvider.System, NullLogger.Instance);

    public async Task<T?> QueryOneAsync<T>(string sql, object? args = null, CancellationToken ct = default) =>
        (await RunAsync(db => db.QueryOneAsync<T>(sql, args, ct))).Result;

    public async Task<IReadOnlyList<T>> QueryListAsync<T>(string sql, object? args = null, CancellationToken ct = default) =>
        (await RunAsync(db => db.QueryListAsync<T>(sql, args, ct))).Result;

    /// <summary>Asks the server that answers reads now whether it is a standby, and how far behind.</summary>
    public async Task<ReadSourceStatus> DescribeAsync(CancellationToken ct = default)
    {
        const string sql = """
            SELECT pg_is_in_recovery() AS in_recovery,
                   extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 AS replay_age_seconds
            """;
        var (row, fromStandby) = await RunAsync(db => db.QueryOneAsync<RecoveryRow>(sql, ct: ct));
        string? error;
        lock (_gate)
            error = _standbyError;
        return new ReadSourceStatus(_standby is not null, fromStandby, row!.InRecovery, row.ReplayAgeSeconds, fromStandby ? null : error);
    }

    sealed record RecoveryRow(bool InRecovery, double? ReplayAgeSeconds);

    async Task<(T Result, bool FromStandby)> RunAsync<T>(Func<NpgsqlDataSource, Task<T>> read)
    {
        if (_standby is null || SkippingStandby())
            return (await read(_primary), false);
        try
        {
            var result = await read(_standby);
            StandbyAnswered();
            return (result, true);
        }
        catch (Exception e) when (StandbyFailed(e))
        {
            SkipStandby(e);
            return (await read(_primary), false);
        }
    }

    bool SkippingStandby()
    {
        lock (_gate)
            return _skipStandbyUntil != 0 && _time.GetTimestamp() < _skipStandbyUntil;
    }

    void StandbyAnswered()
    {
        lock (_gate)
        {
            if (_skipStandbyUntil == 0)
                return;
            _skipStandbyUntil = 0;
            _standbyError = null;
        }
        _logger.LogInformation("The standby answers again: lag-tolerant reads go back to it");
    }

    void SkipStandby(Exception e)
    {
        bool first;
        lock (_gate)
        {
            first = _standbyError is null;
            _standbyError = e.Message;
            _skipStandbyUntil = _time.GetTimestamp() + (long)(_recheck.TotalSeconds * _time.TimestampFrequency);
        }
        _standby!.Clear(); // its idle connections may be dead too
        if (first)
            _logger.LogWarning("The standby failed ({Error}): lag-tolerant reads go to the primary, and the standby is tried again every {Seconds} s",
                e.Message, _recheck.TotalSeconds);
    }

    /// <summary>
    /// The standby is away or refused this read for a reason of its own: connection lost or
    /// refused, shutting down or starting (57P…), full (53300), a query cancelled by a recovery
    /// conflict (40001). A mistake in the query itself would fail on the primary too, and is not caught.
    /// </summary>
    static bool StandbyFailed(Exception e) => e switch
    {
        OperationCanceledException => false,
        PostgresException pg => pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("57P", StringComparison.Ordinal)
            || pg.SqlState is "53300" or "40001",
        NpgsqlException or TimeoutException or SocketException => true,
        _ => false,
    };

    public async ValueTask DisposeAsync()
    {
        if (_ownsStandby && _standby is not null)
            await _standby.DisposeAsync();
    }
}
