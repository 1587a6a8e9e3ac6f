using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace MediConnect.Portal.Features.Shared.Notifications.Delivery;

/// <summary>
/// The token of an email's unsubscribe link: the user and the kind of notice, signed and encrypted
/// with the portal's Data Protection keys under a purpose of its own, so it cannot be forged, read
/// or used as anything else. It does not expire: an old email's link still works (RFC 8058).
/// </summary>
public sealed class UnsubscribeTokens(IDataProtectionProvider protection)
{
    readonly IDataProtector _protector = protection.CreateProtector("MediConnect.Notices.Unsubscribe.v1");

    public string Create(int userId, string kind) => _protector.Protect(string.Create(CultureInfo.InvariantCulture, $"{userId}|{kind}"));

    /// <summary>The user and kind the token names, or null when it is not one of ours.</summary>
    public (int UserId, string Kind)? Read(string? token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 2000)
            return null;
        try
        {
            var parts = _protector.Unprotect(token).Split('|');
            return parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var userId)
                   && NoticeKinds.IsPreferable(parts[1])
                ? (userId, parts[1])
                : null;
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }
    }
}
