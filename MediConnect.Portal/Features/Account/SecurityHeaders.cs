using System.Security.Cryptography;

namespace MediConnect.Portal.Features.Account;

/// <summary>
/// Headers on every response: a Content-Security-Policy Blazor Server and MudBlazor work under
/// (scripts only from the portal or with this response's nonce, inline styles allowed because
/// MudBlazor sets them, no framing), no MIME sniffing, no referrer to other sites, and
/// <c>no-store</c> on everything but static files, so the back button after sign-out cannot show
/// a cached page.
/// </summary>
public static class SecurityHeaders
{
    const string NonceKey = "mediconnect:csp-nonce";

    /// <summary>The nonce a <c>&lt;script&gt;</c> inline element of this response must carry (the import map).</summary>
    public static string? CspNonce(this HttpContext context) => context.Items[NonceKey] as string;

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        context.Items[NonceKey] = nonce;
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            // A file an endpoint sends with its own policy (a document's download or sandboxed preview) keeps it;
            // every page gets the portal's, over the framing policy Blazor adds.
            var ownFilePolicy = !string.IsNullOrEmpty(headers.ContentDisposition) && !string.IsNullOrEmpty(headers.ContentSecurityPolicy);
            if (!ownFilePolicy)
                headers.ContentSecurityPolicy =
                    $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                    + "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
            headers.XContentTypeOptions = "nosniff";
            if (!ownFilePolicy)
                headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            if (string.IsNullOrEmpty(headers.CacheControl))
            {
                headers.CacheControl = "no-store, no-cache";
                headers.Pragma = "no-cache";
            }
            return Task.CompletedTask;
        });
        await next(context);
    });
}
