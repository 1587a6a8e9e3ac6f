namespace MediConnect.Portal.Features.Shared.Live;

public enum LiveListenerState { Starting, Listening, Reconnecting, Stopped }

/// <summary>The listener and its audience at a glance, for <c>/admin/health</c> and <c>/health</c>.</summary>
public sealed record LiveStatus(
    LiveListenerState State,
    string? Database,
    DateTimeOffset Since,
    string? LastError,
    int Reconnects,
    int EventsLastMinute,
    int Circuits,
    int Subscriptions);

/// <summary>
/// The fan-out of one portal instance: the listener hands every event here, and here it goes to
/// each circuit that has a live page open (<see cref="LiveUpdates"/>), which decides for its own
/// user whether it may know of it. Publishing never waits for a circuit.
/// </summary>
public sealed class LiveEventHub(TimeProvider time)
{
    readonly Lock _gate = new();
    volatile LiveUpdates[] _circuits = [];
    LiveListenerState _state = LiveListenerState.Starting;
    DateTimeOffset _since = time.GetUtcNow();
    string? _lastError;
    string? _database;
    int _reconnects;

    // Events received per second over the last minute: a ring of 60 one-second buckets.
    readonly long[] _bucketSecond = new long[60];
    readonly int[] _bucketCount = new int[60];

    public LiveListenerState State
    {
        get { lock (_gate) return _state; }
    }

    public LiveStatus Status
    {
        get
        {
            // Counted outside the lock: a circuit attaches while holding its own lock (never take both here).
            var circuits = _circuits;
            var subscriptions = circuits.Sum(c => c.SubscriptionCount);
            lock (_gate)
            {
                var now = Second();
                var events = Enumerable.Range(0, 60).Where(i => now - _bucketSecond[i] < 60).Sum(i => _bucketCount[i]);
                return new LiveStatus(_state, _database, _since, _lastError, _reconnects, events, circuits.Length, subscriptions);
            }
        }
    }

    /// <summary>Hands an event from the database to every circuit with a live page.</summary>
    public void Publish(LiveEvent liveEvent)
    {
        if (liveEvent.Topic != LiveTopic.Reload)
            Count();
        foreach (var circuit in _circuits)
            circuit.Post(liveEvent);
    }

    internal void Attach(LiveUpdates circuit)
    {
        lock (_gate)
            _circuits = [.. _circuits, circuit];
    }

    internal void Detach(LiveUpdates circuit)
    {
        lock (_gate)
            _circuits = [.. _circuits.Where(c => c != circuit)];
    }

    /// <summary>The listener is listening on <paramref name="database"/> (no password); after an outage every page reloads (events of the gap were missed).</summary>
    internal void Listening(string database, bool afterOutage)
    {
        lock (_gate)
        {
            _state = LiveListenerState.Listening;
            _database = database;
            _since = time.GetUtcNow();
            if (afterOutage)
                _reconnects++;
        }
        if (afterOutage)
            Publish(LiveEvent.Reload);
    }

    internal void Reconnecting(string error)
    {
        lock (_gate)
        {
            if (_state != LiveListenerState.Reconnecting)
                _since = time.GetUtcNow();
            _state = LiveListenerState.Reconnecting;
            _lastError = error;
        }
    }

    internal void Stopped()
    {
        lock (_gate)
        {
            _state = LiveListenerState.Stopped;
            _since = time.GetUtcNow();
        }
    }

    void Count()
    {
        lock (_gate)
        {
            var second = Second();
            var slot = (int)(second % 60);
            if (_bucketSecond[slot] != second)
            {
                _bucketSecond[slot] = second;
                _bucketCount[slot] = 0;
            }
            _bucketCount[slot]++;
        }
    }

    long Second() => time.GetUtcNow().ToUnixTimeSeconds();
}
