using Npgsql;

namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>
/// A data source over a test database whose connections can be held at open, so that "an older,
/// slower load finishes after a newer one" happens on every run instead of by chance: hold, start
/// the older load, let later opens pass, run the newer load, then release the older one.
/// Holding empties the pool first, so the next open makes a new physical connection, which passes the hold.
/// </summary>
public sealed class HeldConnections : IAsyncDisposable
{
    Hold? _current;

    public HeldConnections(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UsePhysicalConnectionInitializer(_ => throw new InvalidOperationException("The portal opens connections asynchronously."), _ => WaitAsync());
        DataSource = builder.Build();
    }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>Holds every connection opened from now on, until <see cref="Hold.Release"/>.</summary>
    public Hold HoldOpens()
    {
        DataSource.Clear();
        return _current = new Hold(this);
    }

    Task WaitAsync()
    {
        if (_current is not { } hold)
            return Task.CompletedTask;
        hold.Reached.TrySetResult();
        return hold.Released.Task;
    }

    public ValueTask DisposeAsync()
    {
        _current?.Release();
        return DataSource.DisposeAsync();
    }

    public sealed class Hold(HeldConnections owner)
    {
        internal TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        internal TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when a connection is waiting at this hold.</summary>
        public Task ReachedAsync() => Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));

        /// <summary>Connections opened from now on pass; those already held stay held.</summary>
        public void PassNewOpens()
        {
            if (owner._current == this)
                owner._current = null;
        }

        /// <summary>Lets the held connections (and any later ones) go on.</summary>
        public void Release()
        {
            PassNewOpens();
            Released.TrySetResult();
        }
    }
}
