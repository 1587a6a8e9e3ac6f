namespace MediConnect.Portal.Features.Account;

/// <summary>
/// Where to go after sign-in: the return URL only when it is a path on this site (no scheme,
/// no host, no <c>//</c> or <c>/\</c> that a browser would read as another host), else the
/// role's home page. Closes open redirects through <c>?returnUrl=</c>.
/// </summary>
public static class ReturnUrls
{
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url)
        && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Any(c => char.IsControl(c) || c == '\\');

    public static string AfterSignIn(string? returnUrl, string role) =>
        IsLocal(returnUrl) && returnUrl != "/" && !returnUrl!.StartsWith(LoginRateLimit.LoginPath, StringComparison.OrdinalIgnoreCase)
            ? returnUrl
            : Security.Roles.HomePage(role);
}
