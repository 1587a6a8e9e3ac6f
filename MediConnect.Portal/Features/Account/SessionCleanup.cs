namespace MediConnect.Portal.Features.Account;

/// <summary>Deletes ended sessions every few minutes. A failure (database away) is logged and retried next time; it never stops the portal.</summary>
public sealed class SessionCleanup(SessionStore store, SignInSettings settings, TimeProvider time, ILogger<SessionCleanup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.CleanupInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await RunOnceAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public async Task RunOnceAsync(CancellationToken ct = default)
    {
        try
        {
            var deleted = await store.DeleteExpiredAsync(ct);
            if (deleted > 0)
                logger.LogInformation("Deleted {Count} ended session(s)", deleted);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
        {
            logger.LogWarning("Could not delete ended sessions: {Error}", e.Message);
        }
    }
}
