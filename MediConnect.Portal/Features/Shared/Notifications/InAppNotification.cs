using System.Text.Json;
using MediConnect.Portal.Data;

namespace MediConnect.Portal.Features.Shared.Notifications;

/// <summary>
/// Writes an in-app notification for one user inside the caller's transaction, so it exists
/// exactly when the change it tells of was committed. <paramref name="data"/> carries ids only.
/// </summary>
public static class InAppNotification
{
    const string InsertSql = """
        INSERT INTO notifications (user_id, type, title, message, data, status, sent_at)
        VALUES (@UserId, 'in_app', @Title, @Message, @Data::jsonb, 'sent', COALESCE(@SentAt, now()))
        """;

    /// <param name="sentAt">The portal clock's time (UTC); the database's when null.</param>
    public static Task SendAsync(DbTransactionScope tx, int userId, string title, string message, object data, DateTimeOffset? sentAt = null) =>
        tx.ExecuteAsync(InsertSql,
            new { UserId = userId, Title = title, Message = message, Data = JsonSerializer.Serialize(data), SentAt = sentAt });
}
