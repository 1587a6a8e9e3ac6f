using System.Net;
using MediConnect.Portal.Data;
using MediConnect.Portal.Security;

namespace MediConnect.Portal.Features.Shared.Notifications.Delivery;

/// <summary>
/// <c>/unsubscribe?token=…</c>, the link in every notice email, without signing in. GET shows a page
/// with a button and changes nothing (mail scanners follow links); POST, from that button or from
/// a mail client's one-click unsubscribe (RFC 8058, body <c>List-Unsubscribe=One-Click</c>), turns off
/// email for the token's kind only and writes that to the audit log.
/// </summary>
public static class UnsubscribeEndpoints
{
    public const string Path = "/unsubscribe";

    public static void MapUnsubscribe(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, (string? token, UnsubscribeTokens tokens, NoticeTexts texts) =>
            Page(texts, tokens.Read(token) is { } target
                ? $"""
                   <p>{Html(texts.Format("Unsubscribe.Question", texts.KindName(target.Kind)))}</p>
                   <form method="post" action="{Path}?token={Uri.EscapeDataString(token!)}">
                     <input type="hidden" name="List-Unsubscribe" value="One-Click">
                     <button type="submit">{Html(texts["Unsubscribe.Button"])}</button>
                   </form>
                   """
                : $"<p>{Html(texts["Unsubscribe.Invalid"])}</p>", target: tokens.Read(token) is not null))
            .AllowAnonymous();

        app.MapPost(Path, async (string? token, HttpContext http, UnsubscribeTokens tokens, NoticeTexts texts, Npgsql.NpgsqlDataSource db, CancellationToken ct) =>
        {
            if (tokens.Read(token) is not { } target)
                return Page(texts, $"<p>{Html(texts["Unsubscribe.Invalid"])}</p>", target: false, StatusCodes.Status400BadRequest);
            await db.InTransactionAsync(async tx =>
            {
                await tx.ExecuteAsync(TurnOffSql, new { target.UserId, target.Kind });
                await AuditLog.WriteAsync(tx, new AuditEntry(target.UserId, "notification_unsubscribe", "notification_preferences",
                    target.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture), null,
                    new { kind = target.Kind, channel = "email", enabled = false },
                    http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString()));
            }, ct: ct);
            return Page(texts, $"<p>{Html(texts.Format("Unsubscribe.Done", texts.KindName(target.Kind)))}</p>", target: true);
        }).AllowAnonymous().DisableAntiforgery();
    }

    const string TurnOffSql = """
        INSERT INTO notification_preferences (user_id, kind, channel, enabled, updated_at)
        SELECT id, @Kind, 'email', false, now() FROM users WHERE id = @UserId
        ON CONFLICT (user_id, kind, channel) DO UPDATE SET enabled = false, updated_at = now()
        """;

    static IResult Page(NoticeTexts texts, string content, bool target, int status = StatusCodes.Status200OK) =>
        Results.Content(NoticeTexts.In(NoticeTexts.DefaultCulture, () => $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex"><title>{Html(texts["Unsubscribe.Title"])} · MediConnect Portal</title></head>
            <body style="font-family: sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5">
            <main><h1>{Html(texts["Unsubscribe.Title"])}</h1>
            {content}
            </main></body></html>
            """), "text/html; charset=utf-8", statusCode: target ? StatusCodes.Status200OK : status);

    static string Html(string text) => WebUtility.HtmlEncode(text);
}
