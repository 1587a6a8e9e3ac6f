using System.Threading.Channels;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Live;
using MediConnect.Portal.Security;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>
/// A portal instance's live-update listener on a test database: the real <see cref="LiveEventListener"/>
/// and <see cref="LiveEventHub"/>, without the rest of the portal.
/// </summary>
public sealed class RunningListener : IAsyncDisposable
{
    readonly LiveEventListener _listener;
    readonly DirectDataSource _direct;
    readonly TestDatabase _database;

    RunningListener(TestDatabase database, LiveEventHub hub)
    {
        _database = database;
        Hub = hub;
        var settings = new DatabaseSettings(database.ConnectionString, false, TimeSpan.FromSeconds(1));
        _direct = new DirectDataSource(settings);
        _listener = new LiveEventListener(_direct, database.DataSource, Hub, TimeProvider.System, Logger);
    }

    public LiveEventHub Hub { get; }
    public ListLogger<LiveEventListener> Logger { get; } = new();

    /// <summary>Starts a listener that feeds <paramref name="hub"/> (a hub of its own when null) and waits until it listens.</summary>
    public static async Task<RunningListener> StartAsync(TestDatabase database, LiveEventHub? hub = null)
    {
        var running = new RunningListener(database, hub ?? new LiveEventHub(TimeProvider.System));
        await running._listener.StartAsync(CancellationToken.None);
        await Wait.UntilAsync(() => running.Hub.State == LiveListenerState.Listening, "the listener to listen");
        return running;
    }

    /// <summary>A circuit signed in as <paramref name="email"/> (or nobody), with every topic subscribed.</summary>
    public async Task<LiveProbe> CircuitAsync(string? email) =>
        new(Hub, email is null ? null : (await _database.SignedInAsync(email)).User, new CareTeam(_database.DataSource, TimeProvider.System));

    public async ValueTask DisposeAsync()
    {
        await _listener.StopAsync(CancellationToken.None);
        _listener.Dispose();
        await _direct.DisposeAsync();
    }
}

/// <summary>
/// One circuit's <see cref="LiveUpdates"/> for a signed-in user, subscribed to every topic: what
/// reaches it, in order. Events it may not know of never arrive, so a test proves "nothing came"
/// by waiting for a later event that it may know of.
/// </summary>
public sealed class LiveProbe : IDisposable
{
    readonly Channel<LiveEvent> _received = Channel.CreateUnbounded<LiveEvent>();
    readonly IDisposable _subscription;

    public LiveProbe(LiveEventHub hub, PortalUser? user, CareTeam careTeam)
    {
        Circuit = new LiveUpdates(hub, new TestCurrentUser(user), careTeam, NullLogger<LiveUpdates>.Instance);
        _subscription = Circuit.Subscribe(Enum.GetValues<LiveTopic>(), batch =>
        {
            foreach (var e in batch.Events)
                _received.Writer.TryWrite(e);
            return Task.CompletedTask;
        });
    }

    public LiveUpdates Circuit { get; }

    public async Task<LiveEvent> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await _received.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>Every event up to and including the first that <paramref name="last"/> matches.</summary>
    public async Task<IReadOnlyList<LiveEvent>> UntilAsync(Func<LiveEvent, bool> last)
    {
        var seen = new List<LiveEvent>();
        while (true)
        {
            var e = await NextAsync();
            seen.Add(e);
            if (last(e))
                return seen;
        }
    }

    public void Dispose()
    {
        _subscription.Dispose();
        Circuit.Dispose();
    }
}
