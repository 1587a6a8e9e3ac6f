using Npgsql;

namespace MediConnect.Portal.Data;

/// <summary>
/// Connections to PostgreSQL itself, never through a transaction pooler: what needs one session
/// from start to end (the migration runner's advisory lock, LISTEN). <c>DATABASE_DIRECT_URL</c>
/// when it is set; otherwise the main data source, which then reaches PostgreSQL directly.
/// </summary>
public sealed class DirectDataSource : IAsyncDisposable
{
    readonly NpgsqlDataSource? _owned;

    public DirectDataSource(NpgsqlDataSource main, DatabaseSettings settings)
    {
        if (settings.DirectConnectionString is { } direct)
            _owned = new NpgsqlDataSourceBuilder(direct) { Name = $"{settings.PoolName}/direct" }.Build();
        DataSource = _owned ?? main;
    }

    public NpgsqlDataSource DataSource { get; }

    public ValueTask DisposeAsync() => _owned?.DisposeAsync() ?? ValueTask.CompletedTask;
}
