using System.Text;

namespace MediConnect.Portal.Security;

/// <summary>
/// What a new password must be: at least 10 characters, at most 72 bytes (BCrypt ignores the
/// rest), no control characters, not the user's email, not a commonly used password. Used for password changes and
/// by whoever sets a password for a user.
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 10;
    public const int MaxBytes = 72;

    // Common passwords of 10+ characters (shorter ones already fail the length rule), compared case-insensitively.
    static readonly HashSet<string> Common = new(StringComparer.OrdinalIgnoreCase)
    {
        "1234567890", "12345678910", "123456789a", "0123456789", "0987654321", "1111111111", "0000000000",
        "1q2w3e4r5t", "1qaz2wsx3edc", "qwertyuiop", "qwerty1234", "qwerty12345", "qwerty123456", "asdfghjkl1",
        "zxcvbnm123", "password12", "password123", "password1234", "password1!", "password!1", "passw0rd123",
        "p@ssw0rd123", "p@ssword123", "iloveyou123", "welcome123", "welcome1234", "welcome2024", "welcome2025",
        "letmein123", "letmein1234", "football123", "baseball123", "princess123", "sunshine123", "superman123",
        "trustno1234", "monkey12345", "dragon12345", "abc1234567", "abcdef1234", "abcd123456", "administrator",
        "admin12345", "admin123456", "changeme123", "changeme1234", "1234qwerty", "123456qwerty", "qazwsxedc123",
        "mediconnect", "mediconnect1", "mediconnect123", "doctor1234", "patient1234", "hospital123",
        "spring2024!", "summer2024!", "autumn2024!", "winter2024!", "january2024", "secret1234", "master12345",
    };

    /// <summary>The first rule <paramref name="password"/> breaks, as a message for the user; null when it is acceptable.</summary>
    public static string? Check(string? password, string email)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinLength)
            return $"Use at least {MinLength} characters.";
        if (password.Any(char.IsControl))
            return "Use letters, digits, spaces and symbols only: no control characters.";
        if (Encoding.UTF8.GetByteCount(password) > MaxBytes)
            return $"Use at most {MaxBytes} bytes (about {MaxBytes} letters, fewer with accents or symbols).";
        var localPart = email.Split('@')[0];
        if (string.Equals(password, email, StringComparison.OrdinalIgnoreCase)
            || string.Equals(password, localPart, StringComparison.OrdinalIgnoreCase))
            return "Do not use your email address as your password.";
        if (Common.Contains(password) || password.Distinct().Count() <= 2)
            return "This password is too common. Choose something harder to guess.";
        return null;
    }
}
