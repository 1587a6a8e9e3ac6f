using System.Diagnostics;

namespace MediConnect.Portal.Data;

/// <summary>
/// Logs every command of the portal's data source that runs longer than the configured
/// threshold, with its duration and SQL text. It listens to Npgsql's own tracing (one span per
/// command) instead of wrapping calls; the spans carry the SQL text, never parameter values.
/// </summary>
public sealed class SlowQueryLog : IDisposable
{
    readonly ActivityListener _listener;
    readonly ILogger<SlowQueryLog> _logger;
    readonly TimeSpan _threshold;
    readonly string _poolName;
    long _count;

    public SlowQueryLog(DatabaseSettings settings, ILogger<SlowQueryLog> logger)
    {
        _logger = logger;
        _threshold = settings.SlowQueryThreshold;
        _poolName = settings.PoolName;
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = OnCommandFinished,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>How many slow commands were seen since the portal started.</summary>
    public long Count => Interlocked.Read(ref _count);

    void OnCommandFinished(Activity activity)
    {
        if (activity.Duration < _threshold
            || activity.GetTagItem("db.npgsql.data_source") as string != _poolName
            || activity.GetTagItem("db.query.text") is not string sql)
            return;

        Interlocked.Increment(ref _count);
        _logger.LogWarning("Slow query took {DurationMs:F0} ms (threshold {ThresholdMs:F0} ms): {Sql}",
            activity.Duration.TotalMilliseconds, _threshold.TotalMilliseconds, sql);
    }

    public void Dispose() => _listener.Dispose();
}
