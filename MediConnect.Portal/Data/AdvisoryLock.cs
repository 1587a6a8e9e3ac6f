using Dapper;
using Npgsql;

namespace MediConnect.Portal.Data;

/// <summary>A session-level PostgreSQL advisory lock, held until disposed. Acquiring waits for the holder to release it.</summary>
public sealed class AdvisoryLock : IAsyncDisposable
{
    readonly NpgsqlConnection _connection;
    readonly long _key;

    AdvisoryLock(NpgsqlConnection connection, long key) => (_connection, _key) = (connection, key);

    public static async Task<AdvisoryLock> AcquireAsync(NpgsqlConnection connection, long key, CancellationToken ct = default)
    {
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@key)", new { key }, commandTimeout: 0, cancellationToken: ct));
        return new AdvisoryLock(connection, key);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection.State == System.Data.ConnectionState.Open)
            await _connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = _key });
    }
}
