using System.Threading.Channels;
using MediConnect.Portal.Security;

namespace MediConnect.Portal.Features.Shared.Live;

/// <summary>
/// The live updates of one circuit (scoped). Pages subscribe through <see cref="LiveRefresh"/>
/// while they are on screen. While anything is subscribed the circuit is attached to the
/// <see cref="LiveEventHub"/>; its events queue here and are handled one batch at a time, off
/// the page's thread: first the access rules for the signed-in user (<see cref="LiveAccess"/>),
/// then each subscription's topics and filter.
/// </summary>
public sealed class LiveUpdates(LiveEventHub hub, ICurrentUser currentUser, CareTeam careTeam, ILogger<LiveUpdates> logger) : IDisposable
{
    readonly Lock _gate = new();
    readonly List<LiveSubscription> _subscriptions = [];
    readonly ILogger _logger = logger;
    volatile Channel<LiveEvent>? _inbox;
    bool _disposed;

    public int SubscriptionCount
    {
        get { lock (_gate) return _subscriptions.Count; }
    }

    /// <summary>
    /// Calls <paramref name="changed"/> with the events of <paramref name="topics"/> the user may
    /// know of and <paramref name="where"/> accepts (and with a reload after the listener
    /// reconnected). Events that arrive while a call runs are folded into the next one. Dispose
    /// the result to unsubscribe.
    /// </summary>
    public IDisposable Subscribe(IReadOnlyCollection<LiveTopic> topics, Func<LiveBatch, Task> changed, Func<LiveEvent, PortalUser, bool>? where = null)
    {
        var subscription = new LiveSubscription(this, topics, changed, where ?? ((_, _) => true));
        lock (_gate)
        {
            if (_disposed) // a page initialising while its circuit ends
                return subscription;
            _subscriptions.Add(subscription);
            if (_inbox is null)
            {
                var inbox = _inbox = Channel.CreateUnbounded<LiveEvent>(new UnboundedChannelOptions { SingleReader = true });
                _ = Task.Run(() => PumpAsync(inbox.Reader));
                hub.Attach(this);
            }
        }
        return subscription;
    }

    internal void Post(LiveEvent liveEvent) => _inbox?.Writer.TryWrite(liveEvent);

    void Remove(LiveSubscription subscription)
    {
        lock (_gate)
        {
            if (!_subscriptions.Remove(subscription) || _subscriptions.Count > 0)
                return;
            Detach();
        }
    }

    void Detach()
    {
        hub.Detach(this);
        _inbox?.Writer.TryComplete();
        _inbox = null;
    }

    async Task PumpAsync(ChannelReader<LiveEvent> reader)
    {
        var batch = new List<LiveEvent>();
        while (await reader.WaitToReadAsync())
        {
            while (reader.TryRead(out var liveEvent))
                batch.Add(liveEvent);
            try
            {
                await DispatchAsync(batch);
            }
            catch (Exception e)
            {
                _logger.LogWarning(e, "Live updates could not reach a page");
            }
            batch.Clear();
        }
    }

    async Task DispatchAsync(IReadOnlyList<LiveEvent> events)
    {
        LiveSubscription[] subscriptions;
        lock (_gate)
            subscriptions = [.. _subscriptions];
        var wanted = events.Where(e => e.Topic == LiveTopic.Reload || subscriptions.Any(s => s.Wants(e.Topic))).ToList();
        if (wanted.Count == 0 || await currentUser.GetAsync() is not { } user)
            return;
        var allowed = await LiveAccess.AllowedAsync(user, wanted, careTeam);
        foreach (var subscription in subscriptions)
            subscription.Offer(allowed, user);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _subscriptions.Clear();
            if (_inbox is not null)
                Detach();
        }
    }

    /// <summary>One page's interest. Calls are never concurrent: events arriving during one are folded into the next.</summary>
    sealed class LiveSubscription(LiveUpdates owner, IReadOnlyCollection<LiveTopic> topics, Func<LiveBatch, Task> changed, Func<LiveEvent, PortalUser, bool> where) : IDisposable
    {
        readonly Lock _gate = new();
        List<LiveEvent> _pending = [];
        bool _running;
        bool _disposed;

        public bool Wants(LiveTopic? topic) => topic is { } t && topics.Contains(t);

        public void Offer(IReadOnlyList<LiveEvent> events, PortalUser user)
        {
            var mine = events.Where(e => e.Topic == LiveTopic.Reload || (Wants(e.Topic) && where(e, user))).ToList();
            if (mine.Count == 0)
                return;
            lock (_gate)
            {
                if (_disposed)
                    return;
                _pending.AddRange(mine);
                if (_running)
                    return;
                _running = true;
            }
            _ = DeliverAsync();
        }

        async Task DeliverAsync()
        {
            while (true)
            {
                List<LiveEvent> batch;
                lock (_gate)
                {
                    if (_pending.Count == 0 || _disposed)
                    {
                        _running = false;
                        return;
                    }
                    (batch, _pending) = (_pending, []);
                }
                try
                {
                    await changed(new LiveBatch(batch));
                }
                catch (ObjectDisposedException)
                {
                    // The circuit ended while the page was being told.
                }
                catch (Exception e)
                {
                    owner._logger.LogWarning(e, "A page could not take in a live update");
                }
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                if (_disposed)
                    return;
                _disposed = true;
                _pending.Clear();
            }
            owner.Remove(this);
        }
    }
}
