using OtpNet;
using QRCoder;

namespace MediConnect.Portal.Features.Account.TwoFactor;

/// <summary>
/// Time-based one-time passwords (RFC 6238, as authenticator apps make them): 160-bit secrets,
/// six digits, 30-second steps, SHA-1. A code is accepted within one step of the server's clock
/// either way, so a phone a little fast or slow still works.
/// </summary>
public static class Authenticator
{
    public const string Issuer = "MediConnect Portal";
    const int SecretBytes = 20;

    static readonly VerificationWindow Drift = new(previous: 1, future: 1);

    /// <summary>A new random secret, in the Base32 form apps accept.</summary>
    public static string NewSecret() => Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(SecretBytes));

    /// <summary>The secret in groups of four, easier to type into an app by hand.</summary>
    public static string Grouped(string secret) => string.Join(' ', secret.Chunk(4).Select(c => new string(c)));

    /// <summary>The <c>otpauth://</c> address the QR code carries: the app names the entry "MediConnect Portal (email)".</summary>
    public static string SetupUri(string secret, string email) => new OtpUri(OtpType.Totp, secret, email, Issuer).ToString();

    /// <summary>The set-up QR code as a PNG <c>data:</c> URI (the page's Content-Security-Policy allows <c>img-src data:</c>).</summary>
    public static string QrCodeDataUri(string setupUri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(setupUri, QRCodeGenerator.ECCLevel.M);
        return "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(5));
    }

    /// <summary>True when the input has the shape of an authenticator code (six digits, spaces allowed).</summary>
    public static bool IsCodeShaped(string? input) => Normalize(input) is { Length: 6 } digits && digits.All(char.IsAsciiDigit);

    /// <summary>The time step <paramref name="code"/> belongs to when it is right within one step of <paramref name="now"/>; else null.</summary>
    public static long? MatchingStep(string secret, string? code, DateTimeOffset now)
    {
        if (!IsCodeShaped(code))
            return null;
        var totp = new Totp(Base32Encoding.ToBytes(secret));
        return totp.VerifyTotp(now.UtcDateTime, Normalize(code), out var step, Drift) ? step : null;
    }

    /// <summary>The code an app shows at <paramref name="at"/> (tests and the set-up check use it).</summary>
    public static string CodeAt(string secret, DateTimeOffset at) => new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(at.UtcDateTime);

    static string Normalize(string? input) => (input ?? "").Replace(" ", "", StringComparison.Ordinal).Trim();
}
