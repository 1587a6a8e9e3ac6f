using MediConnect.Portal.Security;

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
    public int UnreadCount => Messages.Count(m => !m.Outgoing && !m.IsRead);
}

/// <summary>Where a folder's next older page starts: after the message created at <see cref="CreatedAt"/> with <see cref="Id"/>.</summary>
public sealed record MessageCursor(DateTime CreatedAt, int Id);

/// <summary>One page of a folder, newest first; <see cref="Next"/> is null when nothing older is left.</summary>
public sealed record MessagePage(IReadOnlyList<MessageItem> Messages, MessageCursor? Next)
{
    public bool HasOlder => Next is not null;
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
