using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Shared.Notifications;

public sealed record NotificationItem(int Id, string Type, string Title, string Message, string Status, DateTime CreatedAt, DateTime? ReadAt)
{
    public bool IsRead => ReadAt is not null || Status == "read";
}

/// <summary>A notification that just arrived, to pop up on the user's open pages; a critical reading is urgent.</summary>
public sealed record NotificationAlert(int Id, string Title, bool Urgent);

/// <summary>The signed-in user's in-app notifications: list, unread count, mark read.</summary>
public sealed class NotificationService(NpgsqlDataSource db, ICurrentUser currentUser, AuditLog audit, UnreadCounts unread)
{
    const string MineSql = """
        SELECT id, type, title, message, status, created_at, read_at
        FROM notifications
        WHERE user_id = @userId AND type = 'in_app'
        ORDER BY created_at DESC, id DESC
        LIMIT 200
        """;

    const string UnreadSql = """
        SELECT count(*) FROM notifications
        WHERE user_id = @userId AND type = 'in_app' AND read_at IS NULL AND status <> 'read'
        """;

    const string MarkReadSql = """
        UPDATE notifications SET status = 'read', read_at = now()
        WHERE user_id = @userId AND type = 'in_app' AND read_at IS NULL AND status <> 'read' AND (@id::int IS NULL OR id = @id)
        RETURNING id
        """;

    const string AlertsSql = """
        SELECT id, title, data->>'vitalSignId' IS NOT NULL AS urgent
        FROM notifications
        WHERE user_id = @userId AND type = 'in_app' AND id = ANY(@ids) AND read_at IS NULL AND status <> 'read'
        ORDER BY id
        """;

    const string OwnsSql = "SELECT EXISTS (SELECT 1 FROM notifications WHERE id = @id AND user_id = @userId)";

    public async Task<IReadOnlyList<NotificationItem>> MineAsync(CancellationToken ct = default)
    {
        var user = await currentUser.RequireAsync();
        return await db.QueryListAsync<NotificationItem>(MineSql, new { userId = user.Id }, ct);
    }

    public async Task<int> UnreadCountAsync(CancellationToken ct = default)
    {
        var user = await currentUser.GetAsync();
        return user is null ? 0 : (int)await db.QueryOneAsync<long>(UnreadSql, new { userId = user.Id }, ct);
    }

    /// <summary>Of <paramref name="ids"/>, the user's own notifications still unread (others' ids are ignored).</summary>
    public async Task<IReadOnlyList<NotificationAlert>> AlertsAsync(IReadOnlyCollection<int> ids, CancellationToken ct = default)
    {
        var user = await currentUser.GetAsync();
        return user is null || ids.Count == 0 ? [] : await db.QueryListAsync<NotificationAlert>(AlertsSql, new { userId = user.Id, ids = ids.ToArray() }, ct);
    }

    /// <exception cref="AccessDeniedException">Not the user's notification (or none with that id).</exception>
    public async Task MarkReadAsync(int id, CancellationToken ct = default)
    {
        var user = await currentUser.RequireAsync();
        if (!await db.QueryOneAsync<bool>(OwnsSql, new { id, userId = user.Id }, ct))
            throw new AccessDeniedException("That notification was not found among yours.");
        await MarkAsync(user.Id, id, ct);
    }

    /// <summary>Marks every unread notification of the user read; returns how many.</summary>
    public async Task<int> MarkAllReadAsync(CancellationToken ct = default)
    {
        var user = await currentUser.RequireAsync();
        return await MarkAsync(user.Id, null, ct);
    }

    async Task<int> MarkAsync(int userId, int? id, CancellationToken ct)
    {
        var count = await db.InTransactionAsync(async tx =>
        {
            var ids = await tx.QueryListAsync<int>(MarkReadSql, new { userId, id });
            foreach (var marked in ids)
                await audit.WriteAsync(tx, "notification_read", "notifications", marked, new { Status = "unread" }, new { Status = "read" });
            return ids.Count;
        }, ct: ct);
        if (count > 0)
            unread.Changed();
        return count;
    }
}
