using MediConnect.Portal.Data;
using Npgsql;

namespace MediConnect.Portal.Features.Shared.Notifications.Delivery;

/// <summary>
/// Sends the outbox's due email and SMS rows; one per portal instance. A short transaction claims
/// a batch with <c>FOR UPDATE SKIP LOCKED</c>, writing this instance's name and a lease
/// (<c>claimed_until</c>) and counting the attempt; the sending happens outside any transaction;
/// then each row is marked sent, put back with a later <c>send_after</c> (exponential back-off with
/// jitter) or failed with the server's answer. Two instances never hold the same row; a row whose
/// lease ran out (its instance was killed mid-send) is claimed again. Times come from the
/// <see cref="TimeProvider"/>, so tests move the clock.
/// </summary>
public sealed class OutboxWorker(
    NpgsqlDataSource db, IEnumerable<INoticeSender> senders, NoticeSettings settings, TimeProvider time,
    ILogger<OutboxWorker> logger, string? instanceName = null) : BackgroundService
{
    readonly Dictionary<string, INoticeSender> _senders =
        senders.Where(s => s.IsConfigured).GroupBy(s => s.Channel).ToDictionary(g => g.Key, g => g.First());

    /// <summary>This instance's name in <c>claimed_by</c>.</summary>
    public string Instance { get; } = instanceName ?? $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    const int BatchSize = 20;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_senders.Count == 0)
            return; // email and SMS are off: nothing is ever queued
        logger.LogInformation("Outbox worker {Instance} sends {Channels}", Instance, string.Join(", ", _senders.Keys));
        while (!stoppingToken.IsCancellationRequested)
        {
            var handled = 0;
            try
            {
                handled = await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested && e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                logger.LogWarning("Outbox worker {Instance} could not reach the database: {Error}", Instance, e.GetType().Name);
            }
            if (handled == 0)
            {
                try
                {
                    await Task.Delay(settings.PollInterval, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    const string CancelStaleRemindersSql = """
        UPDATE notifications n SET status = 'cancelled', error_message = 'The visit is no longer scheduled.',
               claimed_by = NULL, claimed_until = NULL
        FROM appointments a
        WHERE a.id = n.appointment_id AND n.kind = 'appointment_reminder' AND n.status = 'pending'
          AND n.send_after <= @now AND a.status NOT IN ('scheduled', 'confirmed')
        """;

    const string ClaimSql = """
        WITH due AS (
            SELECT id FROM notifications
            WHERE status = 'pending' AND type = ANY (@channels) AND send_after <= @now
              AND (claimed_until IS NULL OR claimed_until < @now)
            ORDER BY send_after, id
            LIMIT @batch
            FOR UPDATE SKIP LOCKED)
        UPDATE notifications n
        SET claimed_by = @instance, claimed_until = @leaseEnd, attempts = n.attempts + 1
        FROM due
        WHERE n.id = due.id
        RETURNING n.id, n.user_id, n.type AS channel, n.kind, n.recipient, n.title, n.message, n.appointment_id,
                  n.data::text AS data_json, n.attempts AS attempt
        """;

    /// <summary>Claims one batch of due rows and sends them; returns how many it handled.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        // A reminder of a visit someone cancelled or completed outside the patient's own pages.
        await db.ExecuteAsync(CancelStaleRemindersSql, new { now }, ct);
        var claimed = await db.InTransactionAsync(tx => tx.QueryListAsync<OutgoingNotice>(ClaimSql, new
        {
            channels = _senders.Keys.ToArray(), now, leaseEnd = now + settings.Lease, instance = Instance, batch = BatchSize,
        }), ct: ct);
        foreach (var notice in claimed)
            await DeliverAsync(notice, ct);
        return claimed.Count;
    }

    async Task DeliverAsync(OutgoingNotice notice, CancellationToken ct)
    {
        DeliveryResult result;
        if (notice.Attempt > settings.MaxAttempts)
            result = new DeliveryResult(DeliveryOutcome.Failed, $"Gave up after {settings.MaxAttempts} attempts: the instance sending it stopped each time.");
        else
        {
            try
            {
                result = await _senders[notice.Channel].SendAsync(notice, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw; // shutting down: the lease runs out and another instance takes the row
            }
            catch (Exception e)
            {
                result = new DeliveryResult(DeliveryOutcome.TryAgainLater, e.Message);
            }
        }
        if (result.Outcome == DeliveryOutcome.TryAgainLater && notice.Attempt >= settings.MaxAttempts)
            result = result with { Outcome = DeliveryOutcome.Failed, ServerAnswer = $"Gave up after {notice.Attempt} attempts: {result.ServerAnswer}" };
        await RecordAsync(notice, result, ct);
    }

    const string SentSql = """
        UPDATE notifications SET status = 'sent', sent_at = @now, error_message = NULL, claimed_by = NULL, claimed_until = NULL,
               message = CASE WHEN kind = 'contact_verification' THEN @codeGone ELSE message END
        WHERE id = @id AND claimed_by = @instance
        """;

    const string RetrySql = """
        UPDATE notifications SET status = 'pending', send_after = @next, error_message = @answer, claimed_by = NULL, claimed_until = NULL
        WHERE id = @id AND claimed_by = @instance
        """;

    const string FailedSql = """
        UPDATE notifications SET status = 'failed', error_message = @answer, claimed_by = NULL, claimed_until = NULL,
               message = CASE WHEN kind = 'contact_verification' THEN @codeGone ELSE message END
        WHERE id = @id AND claimed_by = @instance
        """;

    /// <summary>A verification code is not kept once its notice is done: only the hash on the contact proves it.</summary>
    const string CodeGone = "A verification code was sent; it is not kept here.";

    async Task RecordAsync(OutgoingNotice notice, DeliveryResult result, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var answer = Trim(result.ServerAnswer);
        switch (result.Outcome)
        {
            case DeliveryOutcome.Sent:
                await db.ExecuteAsync(SentSql, new { id = notice.Id, now, instance = Instance, codeGone = CodeGone }, CancellationToken.None);
                break;
            case DeliveryOutcome.TryAgainLater:
                await db.ExecuteAsync(RetrySql, new { id = notice.Id, next = now + BackOff(notice.Attempt), answer, instance = Instance }, CancellationToken.None);
                // The answer may name the address: it stays in error_message (the delivery page), never in the log.
                logger.LogInformation("Notice {NoticeId} ({Channel}) will be retried after attempt {Attempt}", notice.Id, notice.Channel, notice.Attempt);
                break;
            default:
                await db.ExecuteAsync(FailedSql, new { id = notice.Id, answer, instance = Instance, codeGone = CodeGone }, CancellationToken.None);
                logger.LogWarning("Notice {NoticeId} ({Channel}) failed after attempt {Attempt}; the reason is on the delivery page", notice.Id, notice.Channel, notice.Attempt);
                break;
        }
    }

    /// <summary>30 s, 1 min, 2 min, … (at most an hour), each ±20 % so that retries of a burst spread out.</summary>
    TimeSpan BackOff(int attempt)
    {
        var seconds = Math.Min(settings.RetryBase.TotalSeconds * Math.Pow(2, Math.Min(attempt - 1, 20)), 3600);
        return TimeSpan.FromSeconds(seconds * (0.8 + 0.4 * Random.Shared.NextDouble()));
    }

    static string? Trim(string? answer) => answer is { Length: > 1000 } ? answer[..1000] : answer;
}
