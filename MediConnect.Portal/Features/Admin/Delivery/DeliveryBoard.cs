using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Admin.Health;
using MediConnect.Portal.Features.Shared.Notifications.Delivery;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Admin.Delivery;

/// <summary>What the delivery page lists: one status (null: all), one channel (null: both), and the page before which to start (keyset on id).</summary>
public sealed record DeliveryQuery(string? Status = null, string? Channel = null, int? Before = null, int PageSize = 25);

/// <summary>An outgoing notice as an admin sees it: the recipient masked, the title but never the message.</summary>
public sealed record DeliveryRow(
    int Id, DateTime CreatedAt, string Channel, string? Kind, string Recipient, string Title, string Status,
    int Attempts, DateTime SendAfter, DateTime? SentAt, string? ServerAnswer, bool Claimed);

/// <param name="Older">The id to pass as <see cref="DeliveryQuery.Before"/> for the next (older) page; null on the last.</param>
public sealed record DeliveryList(IReadOnlyList<DeliveryRow> Rows, int? Older);

/// <summary>
/// The admin's view of the outbox (<c>notifications</c> rows of type email and sms): newest
/// first, a bounded page at a time by keyset; retry a failed notice and cancel a pending one,
/// each audited. Message bodies never leave the table here: a verification code or a link is no
/// admin's business.
/// </summary>
public sealed class DeliveryBoard(NpgsqlDataSource db, ICurrentUser currentUser, AuditLog audit, IEnumerable<INoticeSender> senders)
{
    public static readonly string[] Statuses = ["pending", "sent", "delivered", "failed", "cancelled"];
    public const int MaxPageSize = 100;

    /// <summary>Whether email and SMS go out at all (a registered sender with its settings).</summary>
    public async Task<(bool Email, bool Sms)> ChannelsAsync()
    {
        await currentUser.RequireAsync(Roles.Admin);
        return (senders.IsOn("email"), senders.IsOn("sms"));
    }

    /// <summary>The outbox's depth and age, as on the health page.</summary>
    public async Task<OutboxDepth> DepthAsync(CancellationToken ct = default)
    {
        await currentUser.RequireAsync(Roles.Admin);
        return await OutboxDepth.ReadAsync(db, ct);
    }

    sealed record Row(
        int Id, DateTime CreatedAt, string Type, string? Kind, string? Recipient, string Title, string Status,
        int Attempts, DateTime SendAfter, DateTime? SentAt, string? ErrorMessage, bool Claimed);

    const string PageSql = """
        SELECT id, created_at, type, kind, recipient, title, status, attempts, send_after, sent_at, error_message,
               coalesce(claimed_until > now(), false) AS claimed
        FROM notifications
        WHERE type IN ('email', 'sms')
          AND (@status::text IS NULL OR status = @status)
          AND (@channel::text IS NULL OR type = @channel)
          AND (@before::int IS NULL OR id < @before)
        ORDER BY id DESC
        LIMIT @limit
        """;

    public async Task<DeliveryList> ListAsync(DeliveryQuery query, CancellationToken ct = default)
    {
        await currentUser.RequireAsync(Roles.Admin);
        var size = Math.Clamp(query.PageSize, 1, MaxPageSize);
        var status = Statuses.Contains(query.Status) ? query.Status : null;
        var channel = query.Channel is "email" or "sms" ? query.Channel : null;
        var rows = await db.QueryListAsync<Row>(PageSql, new { status, channel, before = query.Before, limit = size + 1 }, ct);
        var shown = rows.Take(size).Select(r => new DeliveryRow(
            r.Id, r.CreatedAt, r.Type, r.Kind, Recipients.Mask(r.Type, r.Recipient), r.Title, r.Status, r.Attempts, r.SendAfter, r.SentAt,
            r.ErrorMessage, r.Claimed)).ToList();
        return new DeliveryList(shown, rows.Count > size ? shown[^1].Id : null);
    }

    sealed record Retried(int Attempts, string? ErrorMessage);

    const string RetrySql = """
        UPDATE notifications
        SET status = 'pending', send_after = now(), claimed_by = NULL, claimed_until = NULL
        WHERE id = @id AND type IN ('email', 'sms') AND status = 'failed'
        RETURNING attempts, error_message
        """;

    /// <summary>A failed notice goes back to the queue, due now; its attempts are kept.</summary>
    /// <exception cref="BusinessRuleException">The notice is not a failed outgoing one (any more).</exception>
    public async Task RetryAsync(int id)
    {
        await currentUser.RequireAsync(Roles.Admin);
        await db.InTransactionAsync(async tx =>
        {
            var was = await tx.QueryOneAsync<Retried>(RetrySql, new { id })
                ?? throw new BusinessRuleException($"Notice {id} is not a failed email or SMS (any more): only a failed notice can be retried.");
            await audit.WriteAsync(tx, "notification_retry", "notifications", id,
                new { status = "failed", was.Attempts, serverAnswer = was.ErrorMessage }, new { status = "pending" });
        });
    }

    const string CancelSql = """
        UPDATE notifications SET status = 'cancelled'
        WHERE id = @id AND type IN ('email', 'sms') AND status = 'pending' AND (claimed_until IS NULL OR claimed_until < now())
        RETURNING id
        """;

    /// <summary>A pending notice is not sent; one an instance is sending right now cannot be cancelled.</summary>
    /// <exception cref="BusinessRuleException">The notice is not pending, or is being sent.</exception>
    public async Task CancelAsync(int id)
    {
        await currentUser.RequireAsync(Roles.Admin);
        await db.InTransactionAsync(async tx =>
        {
            if (await tx.QueryOneAsync<int?>(CancelSql, new { id }) is null)
                throw new BusinessRuleException($"Notice {id} is not waiting to be sent (it was sent, failed, cancelled, or is being sent right now): it cannot be cancelled.");
            await audit.WriteAsync(tx, "notification_cancel", "notifications", id, new { status = "pending" }, new { status = "cancelled" });
        });
    }
}
