using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace MediConnect.Portal.Features.Shared.Notifications.Delivery;

/// <summary>
/// Sends email notices through the configured SMTP relay with MailKit: STARTTLS, implicit TLS or
/// none; a certificate checked unless <c>SMTP_ALLOW_INVALID_CERTIFICATE=true</c>; signing in when a
/// user name is set. The relay's 4xx answers, timeouts and refused connections are temporary
/// (tried again later); its 5xx answers and an address that is not one are permanent. DKIM and SPF
/// are the relay's business.
/// </summary>
public sealed class EmailSender(SmtpSettings? smtp, Func<EmailComposer> composer) : INoticeSender
{
    public string Channel => "email";

    public bool IsConfigured => smtp is not null;

    public async Task<DeliveryResult> SendAsync(OutgoingNotice notice, CancellationToken ct)
    {
        if (smtp is null)
            return new DeliveryResult(DeliveryOutcome.Failed, "Email is not configured (SMTP_HOST is not set).");
        MimeMessage message;
        try
        {
            message = composer().Compose(notice);
        }
        catch (ParseException)
        {
            return new DeliveryResult(DeliveryOutcome.Failed, "The recipient's address is not a valid email address.");
        }

        // The whole send has smtp.Timeout (below); MailKit's per-read clock is only a backstop behind it.
        using var client = new SmtpClient { Timeout = (int)(2 * smtp.Timeout.TotalMilliseconds) };
        if (smtp.AllowInvalidCertificate)
            client.ServerCertificateValidationCallback = (_, _, _, _) => true;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(smtp.Timeout);
        try
        {
            await client.ConnectAsync(smtp.Host, smtp.Port, smtp.Security, timeout.Token);
            if (smtp is { UserName: { } user, Password: { } password })
                await client.AuthenticateAsync(user, password, timeout.Token);
            var answer = await client.SendAsync(message, timeout.Token);
            await client.DisconnectAsync(true, CancellationToken.None);
            return new DeliveryResult(DeliveryOutcome.Sent, answer);
        }
        catch (SmtpCommandException e)
        {
            var code = (int)e.StatusCode;
            var answer = $"{code} {e.Message}";
            return new DeliveryResult(code is >= 400 and < 500 ? DeliveryOutcome.TryAgainLater : DeliveryOutcome.Failed, answer);
        }
        // A silent server: the whole send's clock ran out (or, on a stalled machine, MailKit's backstop).
        catch (Exception e) when (e is OperationCanceledException && !ct.IsCancellationRequested
                                  || e is TimeoutException || e.InnerException is TimeoutException)
        {
            return new DeliveryResult(DeliveryOutcome.TryAgainLater, $"The mail server {smtp.Host}:{smtp.Port} did not answer within {smtp.Timeout.TotalSeconds:0} s.");
        }
        catch (Exception e) when (e is SocketException or IOException or SmtpProtocolException or SslHandshakeException or AuthenticationException or ServiceNotConnectedException)
        {
            return new DeliveryResult(DeliveryOutcome.TryAgainLater, $"{smtp.Host}:{smtp.Port}: {e.Message}");
        }
    }
}
