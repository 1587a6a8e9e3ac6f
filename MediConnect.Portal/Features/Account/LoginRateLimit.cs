using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MediConnect.Portal.Data;
using Npgsql;

namespace MediConnect.Portal.Features.Account;

/// <summary>
/// Sign-in POSTs per client address per minute, checked before the login page runs (so a flood
/// never reaches BCrypt). The count lives in PostgreSQL (<c>login_rate_limits</c>), so every
/// portal instance counts against the same limit. The address is the connection's, or the
/// forwarded one only when the request came through a proxy listed in <c>TRUSTED_PROXIES</c>: a
/// forged <c>X-Forwarded-For</c> from anyone else changes nothing. IPv6 clients are counted per
/// /64 network, which one client usually owns whole.
/// </summary>
public sealed class LoginRateLimit(NpgsqlDataSource db, SignInSettings settings, ILogger<LoginRateLimit> logger)
{
    public const string LoginPath = "/account/login";

    /// <summary>
    /// One statement, so attempts on several instances at once count one by one: a window that
    /// ended starts again at 1. Windows other clients left behind are deleted on the way.
    /// </summary>
    const string CountAttemptSql = """
        WITH ended AS (
            DELETE FROM login_rate_limits
            WHERE window_start <= now() - interval '1 minute' AND client_key <> @key
        )
        INSERT INTO login_rate_limits AS l (client_key, window_start, attempts)
        VALUES (@key, now(), 1)
        ON CONFLICT (client_key) DO UPDATE
        SET window_start = CASE WHEN l.window_start <= now() - interval '1 minute' THEN now() ELSE l.window_start END,
            attempts     = CASE WHEN l.window_start <= now() - interval '1 minute' THEN 1 ELSE l.attempts + 1 END
        RETURNING attempts,
                  greatest(1, ceil(extract(epoch FROM window_start + interval '1 minute' - now())))::int AS seconds_left
        """;

    sealed record Window(int Attempts, int SecondsLeft);

    /// <summary>Counts an attempt from <paramref name="address"/>; returns null when it is allowed, else the seconds until the next one is.</summary>
    public async Task<int?> CountAttemptAsync(IPAddress? address, CancellationToken ct = default)
    {
        var window = await db.InsertReturningAsync<Window>(CountAttemptSql, new { key = ClientKey(address) }, ct);
        return window.Attempts <= settings.RateLimitPerMinute ? null : window.SecondsLeft;
    }

    /// <summary>The middleware: sign-in POSTs over the limit get the 429 page and never reach the login page.</summary>
    public async Task HandleAsync(HttpContext context, RequestDelegate next)
    {
        if (IsLoginPost(context.Request) && await CountAttemptAsync(context.Connection.RemoteIpAddress, context.RequestAborted) is { } retryAfter)
        {
            logger.LogWarning("Sign-in rate limit reached for a client; request refused with 429");
            var response = context.Response;
            response.StatusCode = StatusCodes.Status429TooManyRequests;
            response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            response.ContentType = "text/html; charset=utf-8";
            await response.WriteAsync(RejectionPage, context.RequestAborted);
            return;
        }
        await next(context);
    }

    static bool IsLoginPost(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && string.Equals(request.Path.Value?.TrimEnd('/'), LoginPath, StringComparison.OrdinalIgnoreCase);

    internal static string ClientKey(IPAddress? address)
    {
        if (address is null)
            return "unknown";
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    const string RejectionPage = """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1.0" />
        <title>Too many sign-in attempts · MediConnect Portal</title><link rel="stylesheet" href="/app.css" /></head>
        <body class="account-body">
        <header class="account-header">MediConnect Portal</header>
        <main class="account-main"><div class="account-card">
        <h1 class="account-title">Too many sign-in attempts</h1>
        <p>Too many sign-in attempts came from your network in the last minute. Please wait a minute, then try again.</p>
        <p><a class="account-link" href="/account/login">Back to sign in</a></p>
        </div></main>
        </body>
        </html>
        """;
}
