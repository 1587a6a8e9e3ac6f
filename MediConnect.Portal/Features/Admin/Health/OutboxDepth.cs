using MediConnect.Portal.Data;
using Npgsql;

namespace MediConnect.Portal.Features.Admin.Health;

/// <summary>
/// The outbox of email and SMS notices: how many wait (<see cref="Pending"/>, reminders due later
/// included), how long the oldest one that is due has waited (null: none is due), and how many
/// failed in the last 24 hours. A growing age means no instance is sending.
/// </summary>
public sealed record OutboxDepth(long Pending, double? OldestDueSeconds, long FailedLast24Hours)
{
    const string Sql = """
        SELECT
            (SELECT count(*) FROM notifications WHERE status = 'pending' AND type IN ('email', 'sms')) AS pending,
            (SELECT extract(epoch FROM now() - min(send_after))::float8 FROM notifications
             WHERE status = 'pending' AND type IN ('email', 'sms') AND send_after <= now()) AS oldest_due_seconds,
            (SELECT count(*) FROM notifications
             WHERE status = 'failed' AND type IN ('email', 'sms') AND updated_at > now() - interval '24 hours') AS failed_last24_hours
        """;

    /// <summary>Reads the figures on the database's clock; the queue's partial indexes answer all three.</summary>
    public static async Task<OutboxDepth> ReadAsync(NpgsqlDataSource db, CancellationToken ct = default)
    {
        var depth = await db.QueryOneAsync<OutboxDepth>(Sql, ct: ct);
        return depth! with { OldestDueSeconds = depth.OldestDueSeconds is { } s ? Math.Round(s, 1) : null };
    }
}
