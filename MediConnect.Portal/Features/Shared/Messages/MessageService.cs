using System.Text.RegularExpressions;
using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using MediConnect.Portal.Features.Shared.Notifications;
using Npgsql;

namespace MediConnect.Portal.Features.Shared.Messages;

/// <summary>A message as the signed-in user sees it: <see cref="Outgoing"/> when they sent it.</summary>
public sealed record MessageItem(
    int Id,
    int SenderId,
    string SenderName,
    int RecipientId,
    string RecipientName,
    string Subject,
    string Body,
    string Priority,
    bool IsRead,
    DateTime? ReadAt,
    DateTime CreatedAt,
    bool Outgoing)
{
    public int OtherPartyId => Outgoing ? RecipientId : SenderId;
    public string OtherPartyName => Outgoing ? RecipientName : SenderName;
    public string ThreadSubject => MessageService.ThreadSubject(Subject);
}

/// <summary>Messages between the user and one other person under one subject (replies included), newest last.</summary>
public sealed record MessageThread(string Subject, int OtherPartyId, string OtherPartyName, IReadOnlyList<MessageItem> Messages)
{
    public MessageItem Latest => Messages[^1];
    public int UnreadCount => Messages.Count(m => !m.Outgoing && !m.IsRead);
    public string Key => $"{OtherPartyId}:{Subject.ToLowerInvariant()}";
}

public sealed record MessageRecipient(int Id, string Name, string? Detail);

public sealed class ComposeMessage
{
    public int? RecipientId { get; set; }
    public string? Subject { get; set; }
    public string? Body { get; set; }
    public string Priority { get; set; } = "normal";

    /// <summary>Per field (property name), what is wrong; empty when it can be sent.</summary>
    public IReadOnlyDictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>();
        if (RecipientId is null)
            errors[nameof(RecipientId)] = "Pick who the message is for.";
        errors.Check(nameof(Subject), MessageService.Subject, Subject);
        errors.Check(nameof(Body), MessageService.Body, Body);
        if (!MessageService.Priorities.Contains(Priority))
            errors[nameof(Priority)] = "Pick a priority.";
        return errors;
    }
}

/// <summary>
/// Secure messages for patients and doctors: inbox, sent, threads, compose within a care
/// relationship, read receipts. Admins read what was sent to them but write to nobody.
/// </summary>
public sealed partial class MessageService(NpgsqlDataSource db, ICurrentUser currentUser, AuditLog audit, CareTeam careTeam, UnreadCounts unread)
{
    public static readonly TextField Subject = new("The subject", 200, TextKind.Identity, Missing: "Enter a subject.");
    public static readonly TextField Body = new("The message", 5000, TextKind.Lines, Missing: "Write a message.");
    public static readonly IReadOnlyList<string> Priorities = ["low", "normal", "high", "urgent"];

    // Messages the user sent or received, as MessageItem rows.
    const string MyMessagesSql = """
        SELECT m.id, m.sender_id, s.name AS sender_name, m.recipient_id, r.name AS recipient_name, m.subject, m.body,
               m.priority, m.is_read, m.read_at, m.created_at, m.sender_id = @userId AS outgoing
        FROM messages m
        JOIN users s ON s.id = m.sender_id
        JOIN users r ON r.id = m.recipient_id
        WHERE (m.recipient_id = @userId OR m.sender_id = @userId)
        """;

    const string MineSql = $"""
        {MyMessagesSql}
        ORDER BY m.created_at, m.id
        """;

    const string OneSql = $"""
        {MyMessagesSql}
          AND m.id = @id
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

    /// <summary>Every message the signed-in user sent or received, oldest first.</summary>
    public async Task<IReadOnlyList<MessageItem>> MineAsync(CancellationToken ct = default)
    {
        var user = await currentUser.RequireAsync();
        return await db.QueryListAsync<MessageItem>(MineSql, new { userId = user.Id }, ct);
    }

    public async Task<IReadOnlyList<MessageItem>> InboxAsync(CancellationToken ct = default) =>
        [.. (await MineAsync(ct)).Where(m => !m.Outgoing).OrderByDescending(m => m.CreatedAt)];

    public async Task<IReadOnlyList<MessageItem>> SentAsync(CancellationToken ct = default) =>
        [.. (await MineAsync(ct)).Where(m => m.Outgoing).OrderByDescending(m => m.CreatedAt)];

    /// <summary>Conversations by subject and other person, the most recent first.</summary>
    public async Task<IReadOnlyList<MessageThread>> ThreadsAsync(CancellationToken ct = default) =>
        [.. (await MineAsync(ct))
            .GroupBy(m => (m.OtherPartyId, Subject: m.ThreadSubject.ToLowerInvariant()))
            .Select(g => new MessageThread(g.First().ThreadSubject, g.Key.OtherPartyId, g.First().OtherPartyName, [.. g]))
            .OrderByDescending(t => t.Latest.CreatedAt)];

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

    /// <summary>Opens every unread message of a thread addressed to the user (reading a thread reads its messages).</summary>
    public async Task<MessageThread> OpenThreadAsync(MessageThread thread, CancellationToken ct = default)
    {
        var opened = new List<MessageItem>();
        foreach (var message in thread.Messages)
            opened.Add(await OpenAsync(message.Id, ct));
        return thread with { Messages = opened };
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
            tx => InsertAsync(tx, user, compose.RecipientId!.Value, compose.Subject!.Trim(), compose.Body!.Trim(), compose.Priority, null),
            ct: ct);
    }

    /// <summary>
    /// Inserts a message, notifies its recipient in-app and audits both, inside the caller's
    /// transaction. For features that send on the user's behalf (a refill request) after their own checks.
    /// </summary>
    internal static async Task<int> InsertAsync(DbTransactionScope tx, PortalUser sender, int recipientId, string subject, string body, string priority, int? appointmentId)
    {
        var row = new { SenderId = sender.Id, RecipientId = recipientId, AppointmentId = appointmentId, Subject = subject, Body = body, Priority = priority };
        var id = await tx.InsertReturningAsync<int>(InsertSql, row);
        await AuditLog.WriteAsync(tx, new AuditEntry(sender.Id, "message_send", "messages", id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            null, new { row.RecipientId, row.Subject, row.Priority, row.AppointmentId }, sender.IpAddress, sender.UserAgent));
        await InAppNotification.SendAsync(tx, recipientId,
            priority is "urgent" or "high" ? $"{Capitalise(priority)} message from {sender.Name}" : $"New message from {sender.Name}",
            $"You have a new message: \"{subject}\".",
            new { messageId = id, link = "/messages" });
        return id;
    }

    static string Capitalise(string s) => char.ToUpperInvariant(s[0]) + s[1..];
}
