using System.Diagnostics.Metrics;

namespace MediConnect.Portal.Data;

/// <summary>The connection pool at one moment, as Npgsql's own meter reports it.</summary>
public sealed record PoolSnapshot(int Total, int Idle, int Busy, int Waiting, int Max, long Timeouts, DateTimeOffset At);

/// <summary>
/// Reads the portal's pool figures from Npgsql's <c>Npgsql</c> meter on demand. Instruments are
/// tagged with the pool name, so other data sources in the process are ignored.
/// </summary>
public sealed class PoolStatistics : IDisposable
{
    const string PoolNameTag = "db.client.connection.pool.name";
    readonly MeterListener _listener = new();
    readonly Lock _gate = new();
    readonly string _poolName;
    readonly TimeProvider _clock;
    long _waiting;
    long _timeouts;
    int _idle, _busy, _max;

    public PoolStatistics(DatabaseSettings settings, TimeProvider clock)
    {
        _poolName = settings.PoolName;
        _clock = clock;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Npgsql" && instrument.Name is
                "db.client.connection.count" or "db.client.connection.max"
                or "db.client.connection.npgsql.pending_requests" or "db.client.connection.npgsql.timeouts")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument.Name, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument.Name, value, tags));
        _listener.Start();
    }

    public PoolSnapshot Snapshot()
    {
        lock (_gate)
        {
            (_idle, _busy, _max) = (0, 0, 0);
            _listener.RecordObservableInstruments();
            return new PoolSnapshot(_idle + _busy, _idle, _busy, (int)Interlocked.Read(ref _waiting), _max,
                Interlocked.Read(ref _timeouts), _clock.GetUtcNow());
        }
    }

    void Record(string instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? pool = null, state = null;
        foreach (var tag in tags)
        {
            if (tag.Key == PoolNameTag) pool = tag.Value as string;
            else if (tag.Key == "db.client.connection.state") state = tag.Value as string;
        }
        if (pool != _poolName)
            return;

        switch (instrument)
        {
            case "db.client.connection.count" when state == "idle": _idle = (int)value; break;
            case "db.client.connection.count" when state == "used": _busy = (int)value; break;
            case "db.client.connection.max": _max = (int)value; break;
            // Pending requests and timeouts arrive as deltas whenever they happen.
            case "db.client.connection.npgsql.pending_requests": Interlocked.Add(ref _waiting, value); break;
            case "db.client.connection.npgsql.timeouts": Interlocked.Add(ref _timeouts, value); break;
        }
    }

    public void Dispose() => _listener.Dispose();
}
