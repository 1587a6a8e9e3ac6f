using Npgsql;

namespace MediConnect.Portal.Data;

/// <summary>
/// From start-up until PostgreSQL first answers: one line naming why it does not
/// (<see cref="DatabaseRefusal"/>), repeated every <see cref="Calm"/> while the portal keeps
/// trying (it serves the "retrying" page meanwhile), instead of a stack trace per attempt. Once
/// it answers, warns when <c>POSTGRES_POOL_MAX</c> is above the server's <c>max_connections</c>.
/// </summary>
/// <remarks>
/// Its attempts wait at least <see cref="Patience"/> for an answer, whatever
/// <c>POSTGRES_CONNECTION_TIMEOUT</c> says: on a busy machine a server that refuses the portal
/// (unknown database, TLS, password) can take longer than a short timeout to say so, and a line
/// blaming the timeout would then name the wrong cause.
/// </remarks>
public sealed class DatabaseStartupCheck(DatabaseSettings settings, TimeProvider clock, ILogger<DatabaseStartupCheck> logger)
    : BackgroundService
{
    public static readonly TimeSpan Calm = OutageLog.Calm;
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var patient = new NpgsqlConnectionStringBuilder(settings.ConnectionString) { Pooling = false };
        patient.Timeout = Math.Max(patient.Timeout, (int)Patience.TotalSeconds);
        await using var db = NpgsqlDataSource.Create(patient.ConnectionString);
        DateTimeOffset? lastLogged = null;
        string? lastLine = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var maxConnections = await MaxConnectionsAsync(db, stoppingToken);
                if (lastLogged is not null)
                    logger.LogInformation("MediConnect Portal reached PostgreSQL at {Target}", DatabaseSettings.Describe(settings.ConnectionString));
                WarnWhenThePoolIsTooLarge(maxConnections);
                return;
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return; // stopping: an attempt cut short (or timing out meanwhile) is no news
            }
            catch (Exception e) when (DatabaseOutage.IsDatabaseError(e))
            {
                var line = DatabaseRefusal.Describe(e, settings.ConnectionString);
                var now = clock.GetUtcNow();
                if (lastLogged is null || now - lastLogged >= Calm || line != lastLine)
                {
                    logger.LogError("{Refusal}; retrying every {Seconds} s", line, RetryEvery.TotalSeconds);
                    (lastLogged, lastLine) = (now, line);
                }
            }
            try
            {
                await Task.Delay(RetryEvery, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    static async Task<int> MaxConnectionsAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand("SHOW max_connections", connection);
        return int.Parse((string)(await command.ExecuteScalarAsync(ct))!, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Behind PgBouncer the pool talks to PgBouncer, whose own limits apply: no comparison then.</summary>
    void WarnWhenThePoolIsTooLarge(int maxConnections)
    {
        var poolMax = new NpgsqlConnectionStringBuilder(settings.ConnectionString).MaxPoolSize;
        if (settings.ThroughPgBouncer || poolMax <= maxConnections)
            return;
        logger.LogWarning(
            "POSTGRES_POOL_MAX={PoolMax} is above the server's max_connections={MaxConnections}: under load the server refuses connections "
            + "before the pool is full. Lower POSTGRES_POOL_MAX (with every portal instance counted) or raise max_connections",
            poolMax, maxConnections);
    }
}
