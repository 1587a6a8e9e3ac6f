using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace MediConnect.Portal.Features.Account;

/// <summary>
/// Sign-in POSTs per client address per minute, checked before the login page runs (so a flood
/// never reaches BCrypt): the password step, the code step and the authenticator pages, which
/// also check codes. The address is the connection's, or the forwarded one only when the
/// request came through a proxy listed in <c>TRUSTED_PROXIES</c>: a forged <c>X-Forwarded-For</c>
/// from anyone else changes nothing. IPv6 clients are counted per /64 network, which one
/// client usually owns whole.
/// </summary>
public static class LoginRateLimit
{
    public const string LoginPath = "/account/login";

    public static void Configure(RateLimiterOptions options, SignInSettings settings)
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            IsLoginPost(context.Request)
                ? RateLimitPartition.GetFixedWindowLimiter(ClientKey(context.Connection.RemoteIpAddress), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = settings.RateLimitPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                })
                : RateLimitPartition.GetNoLimiter(""));
        options.OnRejected = async (rejected, ct) =>
        {
            var response = rejected.HttpContext.Response;
            response.Headers.RetryAfter = "60";
            response.ContentType = "text/html; charset=utf-8";
            await response.WriteAsync(RejectionPage, ct);
            rejected.HttpContext.RequestServices.GetRequiredService<ILogger<SignInService>>()
                .LogWarning("Sign-in rate limit reached for a client; request refused with 429");
        };
    }

    public const string TwoFactorPath = "/account/two-factor";

    static bool IsLoginPost(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && (request.Path.StartsWithSegments(LoginPath, StringComparison.OrdinalIgnoreCase)
            || request.Path.StartsWithSegments(TwoFactorPath, StringComparison.OrdinalIgnoreCase));

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
