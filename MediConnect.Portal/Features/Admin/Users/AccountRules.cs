using System.Security.Cryptography;
using System.Text.RegularExpressions;
using MediConnect.Portal.Security;

namespace MediConnect.Portal.Features.Admin.Users;

/// <summary>
/// The rules for emails and passwords an admin sets, used by the form (per-field messages) and
/// by the service (which never trusts the form).
/// </summary>
public static partial class AccountRules
{
    /// <summary>The same pattern as the database's <c>users_email_format_check</c>.</summary>
    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();

    public static readonly TextField Email = new("The email address", 254, TextKind.Identity, Missing: "Enter an email address.");
    public static readonly TextField Name = new("The name", 200, TextKind.Identity, Missing: "Enter the person's name.");
    public static readonly TextField Phone = new("The phone number", 40);
    public static readonly TextField Specialization = new("The specialization", 100, TextKind.Identity);

    public static string NormalizeEmail(string? email) => (email ?? "").Trim().ToLowerInvariant();

    /// <summary>Null when the email is acceptable, else the message to show.</summary>
    public static string? EmailError(string? email) =>
        Email.Error(email)
        ?? (EmailPattern().IsMatch(NormalizeEmail(email)) ? null : "Enter a valid email address, like name@example.com.");

    /// <summary>
    /// Null when the password is acceptable for the account with <paramref name="email"/>, else the
    /// message to show: the sign-in's <see cref="PasswordPolicy"/>, the one set of password rules.
    /// </summary>
    public static string? PasswordError(string? password, string? email) => PasswordPolicy.Check(password, NormalizeEmail(email));

    /// <summary>A random 16-character password from letters, digits and a few symbols (no look-alikes).</summary>
    public static string GeneratePassword()
    {
        const string letters = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
        const string digits = "23456789";
        const string symbols = "!#$%*+-=?@";
        const string all = letters + digits + symbols;
        var chars = new char[16];
        for (var i = 0; i < chars.Length; i++)
            chars[i] = all[RandomNumberGenerator.GetInt32(all.Length)];
        // At least one digit and one symbol, at random places.
        chars[RandomNumberGenerator.GetInt32(0, 8)] = digits[RandomNumberGenerator.GetInt32(digits.Length)];
        chars[RandomNumberGenerator.GetInt32(8, 16)] = symbols[RandomNumberGenerator.GetInt32(symbols.Length)];
        return new string(chars);
    }
}
