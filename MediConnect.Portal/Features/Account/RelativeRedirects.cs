using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace MediConnect.Portal.Features.Account;

/// <summary>
/// Every redirect the portal sends is a path (<c>Location: /account/login?...</c>), never an address
/// built from the request's <c>Host</c> header: with <c>Host: evil.example</c> a cached or proxied
/// redirect would otherwise send users to the attacker. Cookie authentication and Blazor's static
/// rendering (<c>NavigationManager.NavigateTo</c>) build absolute addresses from the request; both
/// are made relative here, the first where it is configured, the second as the response starts.
/// </summary>
public static class RelativeRedirects
{
    /// <summary>The header Blazor's enhanced navigation reads instead of a 302 when a form post redirects.</summary>
    const string EnhancedNavigationHeader = "blazor-enhanced-nav-redirect-location";

    /// <summary>The path, query and fragment of <paramref name="location"/> when it points at the host that was asked; else it unchanged.</summary>
    public static string Relative(HttpRequest request, string location)
    {
        var origin = $"{request.Scheme}://{request.Host}";
        if (!location.StartsWith(origin, StringComparison.OrdinalIgnoreCase))
            return location;
        var rest = location[origin.Length..];
        return rest.Length == 0 ? "/" : rest[0] is '/' && !rest.StartsWith("//", StringComparison.Ordinal) ? rest
            : rest[0] is '?' or '#' ? "/" + rest
            : location; // "https://host.evil": not this host after all
    }

    /// <summary>Cookie authentication's sign-in and access-denied redirects, as paths (API callers get the status with the same Location).</summary>
    public static void Apply(CookieAuthenticationEvents events)
    {
        events.OnRedirectToLogin = context => Redirect(context, StatusCodes.Status401Unauthorized);
        events.OnRedirectToAccessDenied = context => Redirect(context, StatusCodes.Status403Forbidden);
    }

    static Task Redirect(RedirectContext<CookieAuthenticationOptions> context, int statusForScripts)
    {
        var location = Relative(context.Request, context.RedirectUri);
        if (IsScriptRequest(context.Request))
        {
            context.Response.Headers.Location = location;
            context.Response.StatusCode = statusForScripts;
        }
        else
            context.Response.Redirect(location);
        return Task.CompletedTask;
    }

    // What cookie authentication itself treats as a script's request: no redirect, the status.
    static bool IsScriptRequest(HttpRequest request) =>
        string.Equals(request.Query["X-Requested-With"], "XMLHttpRequest", StringComparison.Ordinal)
        || string.Equals(request.Headers.XRequestedWith, "XMLHttpRequest", StringComparison.Ordinal);

    /// <summary>Rewrites the Location (and Blazor's enhanced-navigation redirect) of every response to a path, as it starts.</summary>
    public static IApplicationBuilder UseRelativeRedirects(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            if (headers.Location.Count == 1)
                headers.Location = Relative(context.Request, headers.Location.ToString());
            if (headers.TryGetValue(EnhancedNavigationHeader, out var enhanced) && enhanced.Count == 1)
                headers[EnhancedNavigationHeader] = Relative(context.Request, enhanced.ToString());
            return Task.CompletedTask;
        });
        await next(context);
    });
}
