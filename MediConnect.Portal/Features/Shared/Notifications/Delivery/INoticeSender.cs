namespace MediConnect.Portal.Features.Shared.Notifications.Delivery;

/// <summary>One outgoing notice (a <c>notifications</c> row of type email or sms) as a sender sees it.</summary>
/// <param name="Attempt">1 on the first try.</param>
/// <param name="DataJson">The row's <c>data</c>: ids only (appointment, message), never clinical content.</param>
public sealed record OutgoingNotice(
    int Id, int UserId, string Channel, string Kind, string Recipient, string Title, string Message,
    int? AppointmentId, string? DataJson, int Attempt);

public enum DeliveryOutcome
{
    /// <summary>The server accepted it.</summary>
    Sent,
    /// <summary>A temporary failure (4xx, timeout, refused connection): try again after a back-off.</summary>
    TryAgainLater,
    /// <summary>A permanent failure (5xx, invalid address): stop and show the reason.</summary>
    Failed,
}

/// <param name="ServerAnswer">What the server said (kept in <c>error_message</c> for the delivery page); never a secret.</param>
public sealed record DeliveryResult(DeliveryOutcome Outcome, string? ServerAnswer = null);

/// <summary>Sends one channel's notices (email through SMTP, SMS through an HTTP gateway).</summary>
public interface INoticeSender
{
    /// <summary><c>email</c> or <c>sms</c>, as in <c>notifications.type</c>.</summary>
    string Channel { get; }

    /// <summary>False when the channel's settings are absent: its notices are not queued and the admin page says it is off.</summary>
    bool IsConfigured { get; }

    Task<DeliveryResult> SendAsync(OutgoingNotice notice, CancellationToken ct);
}
