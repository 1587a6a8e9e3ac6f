using MediConnect.Portal.Data;
using Npgsql;

namespace MediConnect.Portal.Features.Shared.Live;

/// <summary>
/// The one long-lived <c>LISTEN</c> of this portal instance, on a connection of the
/// <see cref="DirectDataSource"/> (PostgreSQL itself: a transaction-mode PgBouncer in front of the
/// main pool cannot hold a <c>LISTEN</c>). Hands every event to the <see cref="LiveEventHub"/>.
/// When the connection is lost (a database restart, a network cut) it reconnects by itself,
/// and once back it clears the pool's idle connections (they died with the server) and tells
/// every open page to reload, since events of the gap were missed.
/// </summary>
public sealed class LiveEventListener(
    DirectDataSource direct,
    NpgsqlDataSource pool,
    LiveEventHub hub,
    TimeProvider time,
    ILogger<LiveEventListener> logger) : BackgroundService
{
    /// <summary>An idle connection is checked this often, so a silently dropped one is noticed.</summary>
    static readonly TimeSpan PingEvery = TimeSpan.FromSeconds(15);
    static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(2);

    /// <summary>How the connection shows in <c>pg_stat_activity</c>; a returned connection's reset restores the pool's name.</summary>
    internal const string ApplicationName = "MediConnect Portal (live updates)";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var database = DatabaseSettings.Describe(direct.DataSource.ConnectionString);
        var retry = FirstRetry;
        var outage = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await direct.DataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += OnNotification;
                await using (var listen = new NpgsqlCommand($"SET application_name = '{ApplicationName}'; LISTEN {LiveEvent.Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);

                if (outage)
                {
                    pool.Clear();
                    if (direct.DataSource != pool)
                        direct.DataSource.Clear();
                    logger.LogInformation("Live updates listening again on {Database}; open pages reload", database);
                }
                else
                {
                    logger.LogInformation("Live updates listening on {Database}", database);
                }
                hub.Listening(database, afterOutage: outage);
                (outage, retry) = (false, FirstRetry);

                while (true)
                {
                    if (!await connection.WaitAsync(PingEvery, stoppingToken))
                        await using (var ping = new NpgsqlCommand("SELECT 1", connection))
                            await ping.ExecuteNonQueryAsync(stoppingToken);
                }
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // Whatever went wrong, the listener retries: it must never take the portal down with it.
                if (!outage)
                    logger.LogWarning("Live updates lost their database connection ({Error}); reconnecting", e.Message);
                outage = true;
                hub.Reconnecting(e.Message);
            }

            try
            {
                await Task.Delay(retry, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
        }
        hub.Stopped();
    }

    void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (e.Channel == LiveEvent.Channel && LiveEvent.TryParse(e.Payload, out var liveEvent))
            hub.Publish(liveEvent);
        else
            logger.LogDebug("Ignored a live event this version does not know: {Payload}", e.Payload);
    }
}
