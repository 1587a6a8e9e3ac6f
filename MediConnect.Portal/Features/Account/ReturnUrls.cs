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

    /// <summary>The page of a sign-in's second step (code or authenticator set-up), carrying a local return URL along.</summary>
    public static string SecondStep(SignInOutcome step, string? returnUrl)
    {
        var page = step == SignInOutcome.EnrolmentRequired ? SetupPath : CodePath;
        return IsLocal(returnUrl) ? $"{page}?returnUrl={Uri.EscapeDataString(returnUrl!)}" : page;
    }

    /// <summary>Back to the password step, saying why (<paramref name="reason"/>), with a local return URL kept.</summary>
    public static string StartAgain(string reason, string? returnUrl) =>
        IsLocal(returnUrl) ? $"{LoginRateLimit.LoginPath}?reason={reason}&returnUrl={Uri.EscapeDataString(returnUrl!)}" : $"{LoginRateLimit.LoginPath}?reason={reason}";

    public const string CodePath = LoginRateLimit.LoginPath + "/code";
    public const string SetupPath = LoginRateLimit.LoginPath + "/setup";

    public static string AfterSignIn(string? returnUrl, string role) =>
        IsLocal(returnUrl) && returnUrl != "/" && !returnUrl!.StartsWith(LoginRateLimit.LoginPath, StringComparison.OrdinalIgnoreCase)
            ? returnUrl
            : Security.Roles.HomePage(role);
}
