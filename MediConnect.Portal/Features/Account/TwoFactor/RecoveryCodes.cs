using System.Security.Cryptography;
using System.Text;

namespace MediConnect.Portal.Features.Account.TwoFactor;

/// <summary>
/// One-time recovery codes: ten per enrolment, twelve characters from a 31-character alphabet with
/// no look-alikes (no i, l, o, 0, 1: about 59 random bits each), shown as <c>abcd-efgh-jkmn</c>. Only a digest is stored: the
/// SHA-256 of the user id and the code, so equal codes of two users never share a digest; the
/// random bits make guessing from a stolen digest impractical.
/// </summary>
public static class RecoveryCodes
{
    public const int Count = 10;
    const int Length = 12;
    const string Alphabet = "abcdefghjkmnpqrstuvwxyz23456789";

    public static IReadOnlyList<string> Generate() => [.. Enumerable.Range(0, Count).Select(_ => NewCode())];

    static string NewCode()
    {
        var chars = RandomNumberGenerator.GetString(Alphabet, Length);
        return $"{chars[..4]}-{chars[4..8]}-{chars[8..]}";
    }

    /// <summary>The code as typed, reduced to what counts: letters and digits, lower case.</summary>
    public static string Normalize(string? input) =>
        new([.. (input ?? "").Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant)]);

    public static string Digest(int userId, string code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{userId}:{Normalize(code)}")));
}
