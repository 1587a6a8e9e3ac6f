using System.Net;
using System.Text.Json;
using MimeKit;

namespace MediConnect.Portal.Features.Shared.Notifications.Delivery;

/// <summary>
/// Turns an outgoing notice into an email: a text and an HTML part from the templates of
/// <see cref="NoticeTexts"/>, a calendar invite for a booked, moved or cancelled visit, and the
/// unsubscribe headers of RFC 2369 and RFC 8058 (one click, for that kind only). The Message-ID
/// names the notice, so a message is recognisable wherever it arrives.
/// </summary>
public sealed class EmailComposer(SmtpSettings smtp, NoticeSettings settings, NoticeTexts texts, UnsubscribeTokens tokens, TimeProvider time)
{
    public MimeMessage Compose(OutgoingNotice notice) => NoticeTexts.In(NoticeTexts.DefaultCulture, () => Build(notice));

    MimeMessage Build(OutgoingNotice notice)
    {
        using var data = JsonDocument.Parse(notice.DataJson ?? "{}");
        var root = data.RootElement;
        var link = settings.Link(root.TryGetProperty("link", out var l) ? l.GetString() ?? "/" : "/");
        var unsubscribe = settings.Link("/unsubscribe?token=" + Uri.EscapeDataString(tokens.Create(notice.UserId, notice.Kind)));
        var domain = smtp.Sender.Domain;

        var message = new MimeMessage();
        message.From.Add(smtp.Sender);
        message.To.Add(MailboxAddress.Parse(notice.Recipient));
        message.Subject = notice.Title;
        message.MessageId = $"notice-{notice.Id}@{domain}";
        message.Headers.Add("X-MediConnect-Notice", notice.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        message.Headers.Add("List-Unsubscribe", $"<{unsubscribe}>");
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        message.Headers.Add("Auto-Submitted", "auto-generated");

        var invite = Invite(notice, root, link, domain);
        var stop = texts.Format("Email.Unsubscribe", texts.KindName(notice.Kind));
        var body = new BodyBuilder
        {
            TextBody = string.Join("\r\n\r\n", new[]
            {
                texts["Email.Greeting"], notice.Message, invite is null ? null : texts["Email.Invite"],
                $"{texts["Email.Open"]}: {link}", texts["Email.Privacy"], $"{stop}: {unsubscribe}",
            }.Where(p => p is not null)),
            HtmlBody = $"""
                <!DOCTYPE html>
                <html lang="{System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName}"><body style="font-family: sans-serif; line-height: 1.5">
                <p>{Html(texts["Email.Greeting"])}</p>
                <p>{Html(notice.Message)}</p>
                {(invite is null ? "" : $"<p>{Html(texts["Email.Invite"])}</p>")}
                <p><a href="{Html(link)}" style="display: inline-block; padding: 8px 16px; background: #1565c0; color: #fff; text-decoration: none; border-radius: 4px">{Html(texts["Email.Open"])}</a></p>
                <p style="color: #555; font-size: small">{Html(texts["Email.Privacy"])}<br><a href="{Html(unsubscribe)}">{Html(stop)}</a></p>
                </body></html>
                """,
        };
        if (invite is not null)
        {
            var attachment = body.Attachments.Add("invite.ics", System.Text.Encoding.UTF8.GetBytes(invite.Value.Ics),
                new ContentType("text", "calendar") { Charset = "utf-8" });
            attachment.ContentType.Parameters.Add("method", invite.Value.Method);
        }
        message.Body = body.ToMessageBody();
        return message;
    }

    (string Ics, string Method)? Invite(OutgoingNotice notice, JsonElement root, string link, string domain)
    {
        if (notice.Kind is not (NoticeKinds.AppointmentBooked or NoticeKinds.AppointmentRescheduled or NoticeKinds.AppointmentCancelled)
            || notice.AppointmentId is not { } appointmentId)
            return null;
        var cancel = root.GetProperty("method").GetString() == "CANCEL";
        var ics = CalendarInvite.Create(appointmentId, root.GetProperty("sequence").GetInt32(), cancel,
            root.GetProperty("start").GetDateTimeOffset(), root.GetProperty("end").GetDateTimeOffset(),
            root.GetProperty("doctorName").GetString() ?? "", link, domain, smtp.Sender.Address, notice.Recipient, time.GetUtcNow());
        return (ics, cancel ? "CANCEL" : "REQUEST");
    }

    static string Html(string text) => WebUtility.HtmlEncode(text);
}
