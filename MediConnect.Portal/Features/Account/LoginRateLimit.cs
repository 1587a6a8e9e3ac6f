using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MediConnect.Portal.Data;
using Npgsql;

namespace MediConnect.Portal.Features.Account;

/// <summary>
/// Sign-in POSTs per client address per minute, checked before the login page runs (so a flood
/// never reaches BCrypt): the password step, the code step and the authenticator pages, which
/// also check codes. The count lives in PostgreSQL (<c>login_rate_limits</c>), so every
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

    /// <summary>
    /// The middleware: sign-in POSTs over the limit get a 429 and never reach the password check;
    /// the login page's as a page, a script's token request (<see cref="ConnectedApps.AccessTokenEndpoint"/>) as JSON.
    /// </summary>
    public async Task HandleAsync(HttpContext context, RequestDelegate next)
    {
        if (IsSignInPost(context.Request) && await CountAttemptOrNoneAsync(context) is { } retryAfter)
        {
            logger.LogWarning("Sign-in rate limit reached for a client; request refused with 429");
            var response = context.Response;
            response.StatusCode = StatusCodes.Status429TooManyRequests;
            response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            if (IsPostTo(context.Request, ConnectedApps.AccessTokenEndpoint.Path))
            {
                await response.WriteAsJsonAsync(new { error = $"Too many sign-in attempts from your network; try again in {retryAfter} seconds." }, context.RequestAborted);
                return;
            }
            response.ContentType = "text/html; charset=utf-8";
            await response.WriteAsync(RejectionPage, context.RequestAborted);
            return;
        }
        await next(context);
    }

    // During a database outage the attempt cannot be counted, nor can it sign anyone in: it goes on
    // to the sign-in, which meets the same outage and answers with the outage page.
    async Task<int?> CountAttemptOrNoneAsync(HttpContext context)
    {
        try
        {
            return await CountAttemptAsync(context.Connection.RemoteIpAddress, context.RequestAborted);
        }
        catch (Exception e) when (DatabaseOutage.Classify(e) is not null)
        {
            return null;
        }
    }

    public const string TwoFactorPath = "/account/two-factor";

    // Every step of signing in counts (password, code, authenticator set-up); so does creating an
    // access token with email and password.
    static bool IsSignInPost(HttpRequest request) =>
        IsPostTo(request, LoginPath) || IsPostTo(request, TwoFactorPath) || IsPostTo(request, ConnectedApps.AccessTokenEndpoint.Path);

    static bool IsPostTo(HttpRequest request, string path) =>
        HttpMethods.IsPost(request.Method) && request.Path.StartsWithSegments(path, StringComparison.OrdinalIgnoreCase);

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
