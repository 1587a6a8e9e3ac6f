using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace MediConnect.Portal.Features.Account.TwoFactor;

/// <summary>
/// A sign-in between the right password and its second step: a cookie encrypted with the Data
/// Protection keys, naming the user and when the password was given, sent only to the sign-in
/// pages and valid for <see cref="SignInSettings.SecondStepTimeout"/>. It signs nobody in: every
/// page but the second step still sees a visitor.
/// </summary>
public sealed class PendingSignIn(IDataProtectionProvider protection, SignInSettings settings, TimeProvider time)
{
    public const string CookieName = "mediconnect.pending";
    const string Purpose = "MediConnect.SignIn.Pending.v1";

    IDataProtector Protector => protection.CreateProtector(Purpose);

    public void Start(HttpContext context, int userId)
    {
        var payload = string.Create(CultureInfo.InvariantCulture, $"{userId}|{time.GetUtcNow().ToUnixTimeSeconds()}");
        context.Response.Cookies.Append(CookieName, Protector.Protect(payload), Options(context));
    }

    /// <summary>The user whose second step this is, or null when there is none or it took too long.</summary>
    public int? UserId(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
            return null;
        try
        {
            var parts = Protector.Unprotect(value).Split('|');
            var started = DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts[1], CultureInfo.InvariantCulture));
            return time.GetUtcNow() - started <= settings.SecondStepTimeout ? int.Parse(parts[0], CultureInfo.InvariantCulture) : null;
        }
        catch (Exception e) when (e is CryptographicException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    public void End(HttpContext context) => context.Response.Cookies.Delete(CookieName, Options(context));

    CookieOptions Options(HttpContext context) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = settings.CookieSecureAlways || context.Request.IsHttps,
        Path = LoginRateLimit.LoginPath,
        MaxAge = settings.SecondStepTimeout,
        IsEssential = true,
    };
}
