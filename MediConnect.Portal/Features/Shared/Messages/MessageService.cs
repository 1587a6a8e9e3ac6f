using System.Text.RegularExpressions;
using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using MediConnect.Portal.Features.Shared.Notifications;
using MediConnect.Portal.Features.Shared.Notifications.Delivery;
using Npgsql;

namespace MediConnect.Portal.Features.Shared.Messages;

/// <summary>
/// Secure messages for patients and doctors: inbox, sent, threads, compose within a care
/// relationship, read receipts. Admins read what was sent to them but write to nobody.
/// </summary>
public sealed partial class MessageService(NpgsqlDataSource db, ICurrentUser currentUser, AuditLog audit, CareTeam careTeam, UnreadCounts unread, NoticeQueue? notices = null)
{
    public static readonly TextField Subject = new("The subject", 200, TextKind.Identity, Missing: "Enter a subject.");
    public static readonly TextField Body = new("The message", 5000, TextKind.Lines, Missing: "Write a message.");
    public static readonly IReadOnlyList<string> Priorities = ["low", "normal", "high", "urgent"];

    /// <summary>How many messages a folder shows at first and adds with each "Show older messages".</summary>
    public const int PageSize = 25;

    /// <summary>The most a folder reloads at once (a live refresh keeps what the user has paged through, up to this).</summary>
    public const int MaxPageSize = 500;

    // Messages as MessageItem rows seen by @userId; each query adds its own WHERE.
    const string ItemSql = """
        SELECT m.id, m.sender_id, s.name AS sender_name, m.recipient_id, r.name AS recipient_name, m.subject, m.body,
               m.priority, m.is_read, m.read_at, m.created_at, m.sender_id = @userId AS outgoing
        FROM messages m
        JOIN users s ON s.id = m.sender_id
        JOIN users r ON r.id = m.recipient_id
        """;

    // A folder's page, newest first, by keyset on (created_at, id) so equal times neither repeat nor drop
    // (indexes messages_recipient_page_idx / messages_sender_page_idx, migration 053). @limit is one more than shown.
    static string FolderSql(string userColumn, bool older) => $"""
        {ItemSql}
        WHERE m.{userColumn} = @userId{(older ? " AND (m.created_at, m.id) < (@createdAt, @id)" : "")}
        ORDER BY m.created_at DESC, m.id DESC
        LIMIT @limit
        """;

    static readonly string InboxSql = FolderSql("recipient_id", older: false);
    static readonly string InboxOlderSql = FolderSql("recipient_id", older: true);
    static readonly string SentSql = FolderSql("sender_id", older: false);
    static readonly string SentOlderSql = FolderSql("sender_id", older: true);

    const string OneSql = $"""
        {ItemSql}
        WHERE m.id = @id AND (m.recipient_id = @userId OR m.sender_id = @userId)
        """;

    // The subject as a thread knows it: no surrounding spaces, no leading RE:/FW:/FWD: (as ThreadSubject), lower case.
    const string ThreadKeySql = """lower(regexp_replace(m.subject, '^\s*((re|fw|fwd)\s*:\s*)*|\s+$', '', 'gi'))""";

    // The conversation of message @id: the user and its other party (messages_pair_idx, both ways),
    // under its thread subject, oldest first. Nothing when @id is not the user's.
    const string ConversationSql = $"""
        WITH anchor AS MATERIALIZED (
            SELECT CASE WHEN m.sender_id = @userId THEN m.recipient_id ELSE m.sender_id END AS other_id, {ThreadKeySql} AS thread_key
            FROM messages m
            WHERE m.id = @id AND (m.recipient_id = @userId OR m.sender_id = @userId))
        {ItemSql}
        WHERE ((m.sender_id = @userId AND m.recipient_id = (SELECT other_id FROM anchor))
            OR (m.sender_id = (SELECT other_id FROM anchor) AND m.recipient_id = @userId))
          AND {ThreadKeySql} = (SELECT thread_key FROM anchor)
        ORDER BY m.created_at, m.id
        """;

    const string MarkReadSql = """
        UPDATE messages SET is_read = true, read_at = now()
        WHERE id = @id AND recipient_id = @userId AND NOT is_read
        RETURNING read_at
        """;

    const string UnreadSql = "SELECT count(*) FROM messages WHERE recipient_id = @userId AND NOT is_read";

    const string PeopleSql = """
        SELECT id, name, specialization AS detail
        FROM users
        WHERE id = ANY(@ids) AND is_active
        ORDER BY name
        """;

    const string InsertSql = """
        INSERT INTO messages (sender_id, recipient_id, appointment_id, subject, body, priority)
        VALUES (@SenderId, @RecipientId, @AppointmentId, @Subject, @Body, @Priority)
        RETURNING id
        """;

    /// <summary>The subject without any leading "RE:" / "Re:" prefixes, so replies join their thread.</summary>
    public static string ThreadSubject(string subject) => ReplyPrefix().Replace(subject.Trim(), "").Trim();

    [GeneratedRegex(@"^((re|fw|fwd)\s*:\s*)+", RegexOptions.IgnoreCase)]
    private static partial Regex ReplyPrefix();

    /// <summary>Messages the user received, newest first: the newest page, or the page older than <paramref name="after"/>.</summary>
    public Task<MessagePage> InboxAsync(MessageCursor? after = null, int limit = PageSize, CancellationToken ct = default) =>
        PageAsync(after is null ? InboxSql : InboxOlderSql, after, limit, ct);

    /// <summary>Messages the user sent, newest first: the newest page, or the page older than <paramref name="after"/>.</summary>
    public Task<MessagePage> SentAsync(MessageCursor? after = null, int limit = PageSize, CancellationToken ct = default) =>
        PageAsync(after is null ? SentSql : SentOlderSql, after, limit, ct);

    async Task<MessagePage> PageAsync(string sql, MessageCursor? after, int limit, CancellationToken ct)
    {
        var user = await currentUser.RequireAsync();
        limit = Math.Clamp(limit, 1, MaxPageSize);
        var rows = await db.QueryListAsync<MessageItem>(sql,
            new { userId = user.Id, limit = limit + 1, createdAt = after?.CreatedAt, id = after?.Id }, ct);
        return rows.Count > limit
            ? new MessagePage([.. rows.Take(limit)], new MessageCursor(rows[limit - 1].CreatedAt, rows[limit - 1].Id))
            : new MessagePage(rows, null);
    }

    /// <summary>
    /// The conversation message <paramref name="messageId"/> belongs to: the user's messages with its
    /// other party under its subject (replies and forwards included), read from the database alone.
    /// </summary>
    /// <exception cref="AccessDeniedException">The user neither sent nor received it.</exception>
    public async Task<MessageThread> ConversationAsync(int messageId, CancellationToken ct = default)
    {
        var user = await currentUser.RequireAsync();
        var messages = await db.QueryListAsync<MessageItem>(ConversationSql, new { id = messageId, userId = user.Id }, ct);
        if (messages.Count == 0)
            throw new AccessDeniedException("That message was not found among yours.");
        var first = messages[0];
        return new MessageThread(first.ThreadSubject, first.OtherPartyId, first.OtherPartyName, messages);
    }

    /// <summary>
    /// Opens the conversation of message <paramref name="messageId"/>: its messages addressed to the
    /// user and not yet read are marked read (audited), as opening each would. <c>MarkedRead</c>
    /// tells whether any was.
    /// </summary>
    /// <exception cref="AccessDeniedException">The user neither sent nor received it.</exception>
    public async Task<(MessageThread Thread, bool MarkedRead)> OpenConversationAsync(int messageId, CancellationToken ct = default)
    {
        var thread = await ConversationAsync(messageId, ct);
        if (thread.UnreadCount == 0)
            return (thread, false);
        var opened = new List<MessageItem>(thread.Messages.Count);
        foreach (var message in thread.Messages)
            opened.Add(message.Outgoing || message.IsRead ? message : await OpenAsync(message.Id, ct));
        return (thread with { Messages = opened }, true);
    }

    /// <summary>
    /// Opens one of the user's messages. When the user is its recipient and has not read it,
    /// it is marked read now (the sender's read receipt).
    /// </summary>
    /// <exception cref="AccessDeniedException">The user neither sent nor received it.</exception>
    public async Task<MessageItem> OpenAsync(int id, CancellationToken ct = default)
    {
        var user = await currentUser.RequireAsync();
        var message = await db.QueryOneAsync<MessageItem>(OneSql, new { id, userId = user.Id }, ct)
            ?? throw new AccessDeniedException("That message was not found among yours.");
        if (message.Outgoing || message.IsRead)
            return message;
        var readAt = await db.InTransactionAsync(async tx =>
        {
            var readAt = await tx.QueryOneAsync<DateTime?>(MarkReadSql, new { id, userId = user.Id });
            if (readAt is not null)
                await audit.WriteAsync(tx, "message_read", "messages", id, new { IsRead = false }, new { IsRead = true, ReadAt = readAt });
            return readAt;
        }, ct: ct);
        unread.Changed();
        return message with { IsRead = true, ReadAt = readAt ?? message.ReadAt };
    }

    public async Task<int> UnreadCountAsync(CancellationToken ct = default)
    {
        var user = await currentUser.GetAsync();
        return user is null ? 0 : (int)await db.QueryOneAsync<long>(UnreadSql, new { userId = user.Id }, ct);
    }

    /// <summary>Who the user may write to: a patient their doctors, a doctor their patients (a care relationship either way).</summary>
    public async Task<IReadOnlyList<MessageRecipient>> RecipientsAsync(CancellationToken ct = default)
    {
        var user = await currentUser.RequireAsync();
        IReadOnlyList<int> ids = user.Role switch
        {
            Roles.Patient => await careTeam.DoctorsOfAsync(user.Id, ct),
            Roles.Doctor => await careTeam.PatientsOfAsync(user.Id, ct),
            _ => [],
        };
        return ids.Count == 0 ? [] : await db.QueryListAsync<MessageRecipient>(PeopleSql, new { ids = ids.ToArray() }, ct);
    }

    /// <summary>Sends a message to someone the user has a care relationship with; returns its id.</summary>
    /// <exception cref="FieldValidationException">A field is missing or too long.</exception>
    /// <exception cref="AccessDeniedException">No care relationship with the recipient (or an admin writing).</exception>
    public async Task<int> SendAsync(ComposeMessage compose, CancellationToken ct = default)
    {
        var user = await currentUser.RequireAsync(Roles.Patient, Roles.Doctor);
        var errors = compose.Validate();
        if (errors.Count > 0)
            throw new FieldValidationException(errors);
        var recipients = await RecipientsAsync(ct);
        if (recipients.All(r => r.Id != compose.RecipientId))
            throw new AccessDeniedException(user.IsPatient
                ? "You can write only to doctors who care for you."
                : "You can write only to your own patients.");
        return await db.InTransactionAsync(
            tx => InsertAsync(tx, user, compose.RecipientId!.Value, compose.Subject!.Trim(), compose.Body!.Trim(), compose.Priority, null, notices),
            ct: ct);
    }

    /// <summary>
    /// Inserts a message, notifies its recipient in-app (and by email/SMS through <paramref name="notices"/>:
    /// who wrote, never what) and audits both, inside the caller's transaction. For features that send
    /// on the user's behalf (a refill request) after their own checks.
    /// </summary>
    internal static async Task<int> InsertAsync(DbTransactionScope tx, PortalUser sender, int recipientId, string subject, string body, string priority, int? appointmentId,
        NoticeQueue? notices = null)
    {
        var row = new { SenderId = sender.Id, RecipientId = recipientId, AppointmentId = appointmentId, Subject = subject, Body = body, Priority = priority };
        var id = await tx.InsertReturningAsync<int>(InsertSql, row);
        await AuditLog.WriteAsync(tx, new AuditEntry(sender.Id, "message_send", "messages", id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            null, new { row.RecipientId, row.Priority, row.AppointmentId, written = new[] { "subject", "body" } }, sender.IpAddress, sender.UserAgent)); // never the text (see AuditLog)
        await InAppNotification.SendAsync(tx, recipientId,
            priority is "urgent" or "high" ? $"{Capitalise(priority)} message from {sender.Name}" : $"New message from {sender.Name}",
            $"You have a new message: \"{subject}\".",
            new { messageId = id, link = "/messages" });
        if (notices is not null)
            await notices.NewMessageAsync(tx, recipientId, sender.Name, id);
        return id;
    }

    static string Capitalise(string s) => char.ToUpperInvariant(s[0]) + s[1..];
}
