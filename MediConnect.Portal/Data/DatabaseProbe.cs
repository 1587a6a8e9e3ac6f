using System.Diagnostics;
using Npgsql;

namespace MediConnect.Portal.Data;

public sealed record ConnectionTestResult(bool Reachable, double LatencyMs, string? ServerVersion, string? Error);

/// <summary>The connection test: one round trip to the server, timed.</summary>
public sealed class DatabaseProbe(NpgsqlDataSource dataSource, ILogger<DatabaseProbe> logger)
{
    public async Task<ConnectionTestResult> TestConnectionAsync(CancellationToken ct = default)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            var watch = Stopwatch.StartNew();
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(ct);
            return new ConnectionTestResult(true, watch.Elapsed.TotalMilliseconds, connection.ServerVersion, null);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            logger.LogWarning("Database connection test failed: {Error}", e.Message);
            return new ConnectionTestResult(false, 0, null, e.Message);
        }
    }
}
