using System.Net.Mime;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Admin.Health;
using MediConnect.Portal.Localization;
using Microsoft.Extensions.Localization;

namespace MediConnect.Portal.Components.Errors;

/// <summary>
/// Answers every request that fails because the database is unreachable or its pool is exhausted
/// with a small static page (JSON for <c>/health</c>): 503 with Retry-After, one calm log line per
/// burst (<see cref="OutageLog"/>), never a stack trace. The page touches neither the database nor
/// the Blazor renderer, so it works during the very outage it reports, and reloads itself.
/// </summary>
public sealed class DatabaseOutagePage(OutageLog log, IStringLocalizer<ShellText> text, HealthDetailsAccess healthDetails)
{
    public const int RetryAfterSeconds = 5;
    static readonly object AnsweredKey = new();

    /// <summary>True when this page answered the request (a calm 503 for an outage, already logged once per burst by <see cref="OutageLog"/>).</summary>
    public static bool Answered(HttpContext context) => context.Items.ContainsKey(AnsweredKey);

    /// <summary>Writes the outage answer when <paramref name="error"/> is an outage and nothing was sent yet; false otherwise.</summary>
    public async Task<bool> TryAnswerAsync(HttpContext context, Exception error)
    {
        if (DatabaseOutage.Classify(error) is not { } kind || context.Response.HasStarted)
            return false;
        log.Record(kind, error);
        context.Items[AnsweredKey] = kind;

        var response = context.Response;
        response.Clear();
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers.CacheControl = "no-store";
        var message = kind == OutageKind.PoolExhausted ? text["Outage.Busy"] : text["Outage.Unreachable"];
        if (context.Request.Path.StartsWithSegments("/health"))
        {
            // The session lookup failed before anyone's role was known: the details only for the health token.
            if (healthDetails.Allows(context))
                await response.WriteAsJsonAsync(new { status = "unhealthy", database = kind == OutageKind.PoolExhausted ? "busy" : "unreachable" });
            else
                await response.WriteAsJsonAsync(new HealthStatus("unhealthy"));
            return true;
        }
        response.ContentType = MediaTypeNames.Text.Html + "; charset=utf-8";
        await response.WriteAsync(Html(message));
        return true;
    }

    string Html(string message) => $"""
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1.0" />
        <meta http-equiv="refresh" content="{RetryAfterSeconds}" />
        <title>{text["Outage.PageTitle"]}</title><link rel="stylesheet" href="/app.css" /></head>
        <body class="account-body">
        <header class="account-header">{text["PortalName"]}</header>
        <main class="account-main"><div class="account-card">
        <h1 class="account-title">{text["Outage.Heading"]}</h1>
        <p id="outage-message">{message}</p>
        <p>{text["Outage.ReloadsByItself"]}</p>
        </div></main>
        </body>
        </html>
        """;
}

public static class DatabaseOutagePages
{
    /// <summary>
    /// Turns outage exceptions from everything after it (authentication's session lookup included)
    /// into <see cref="DatabaseOutagePage"/>'s answer. Place it after the request log, so the log
    /// records a 503 line instead of a stack trace.
    /// </summary>
    public static IApplicationBuilder UseDatabaseOutagePage(this IApplicationBuilder app)
    {
        var page = app.ApplicationServices.GetRequiredService<DatabaseOutagePage>();
        return app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception e) when (DatabaseOutage.Classify(e) is not null && !context.Response.HasStarted)
            {
                await page.TryAnswerAsync(context, e);
            }
        });
    }
}
