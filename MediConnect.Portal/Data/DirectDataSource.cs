using Npgsql;

namespace MediConnect.Portal.Data;

/// <summary>
/// Connections to PostgreSQL itself, never through a transaction pooler: what needs one session
/// from start to end (the migration runner's advisory lock, LISTEN). <c>DATABASE_DIRECT_URL</c>
/// when it is set; otherwise the main connection string, which then reaches PostgreSQL directly.
/// A pool of its own either way, so a session held for hours never takes a request's place
/// among the main pool's <c>POSTGRES_POOL_MAX</c>.
/// </summary>
public sealed class DirectDataSource : IAsyncDisposable
{
    public DirectDataSource(DatabaseSettings settings)
    {
        var builder = new NpgsqlDataSourceBuilder(settings.DirectConnectionString ?? settings.ConnectionString) { Name = $"{settings.PoolName}/direct" };
        builder.ConnectionStringBuilder.MinPoolSize = 0;
        // Its sessions hold locks and LISTEN: each one is reset (DISCARD ALL) before the next user, unlike the main pool's.
        builder.ConnectionStringBuilder.NoResetOnClose = false;
        DataSource = builder.Build();
    }

    public NpgsqlDataSource DataSource { get; }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
