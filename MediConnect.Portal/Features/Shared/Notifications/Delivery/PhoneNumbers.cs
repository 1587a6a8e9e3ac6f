namespace MediConnect.Portal.Features.Shared.Notifications.Delivery;

/// <summary>
/// Phone numbers as typed ("+1 (555) 010-2030", "555-010-2030", "0044 20 7946 0958") turned into
/// E.164 (<c>+15550102030</c>), the only form the SMS gateway and <c>notification_contacts</c> take.
/// A number without its country code gets <c>SMS_DEFAULT_COUNTRY_CODE</c>; one leading trunk 0
/// (and, for country code 1, a leading 1) of a national number is dropped.
/// </summary>
public static class PhoneNumbers
{
    const string Example = "+1 555 010 2030";

    /// <summary>The E.164 form of <paramref name="text"/>, or null with <paramref name="error"/> saying what is wrong, written for the user.</summary>
    /// <param name="defaultCountryCode">Digits of the calling code for numbers typed without one (e.g. "1"); null: such numbers are refused.</param>
    public static string? Normalize(string? text, string? defaultCountryCode, out string error)
    {
        error = "";
        var typed = text?.Trim() ?? "";
        if (typed.Length == 0)
            return Refuse($"Enter a phone number, e.g. {Example}.", out error);
        if (typed.Any(c => !char.IsAsciiDigit(c) && c is not (' ' or '-' or '.' or '(' or ')' or '+')))
            return Refuse($"A phone number has digits only (spaces, dashes, dots and brackets are fine), e.g. {Example}.", out error);
        if (typed.LastIndexOf('+') > 0)
            return Refuse($"Only the start of a phone number may be a +, e.g. {Example}.", out error);

        var digits = new string([.. typed.Where(char.IsAsciiDigit)]);
        string international;
        if (typed.StartsWith('+'))
            international = digits;
        else if (digits.StartsWith("00", StringComparison.Ordinal))
            international = digits[2..];
        else if (string.IsNullOrEmpty(defaultCountryCode))
            return Refuse($"Start the number with + and its country code, e.g. {Example}.", out error);
        else
        {
            var national = defaultCountryCode == "1" && digits.Length == 11 && digits.StartsWith('1') ? digits[1..]
                : digits.StartsWith('0') ? digits[1..]
                : digits;
            if (defaultCountryCode == "1" && national.Length != 10)
                return Refuse($"A US or Canadian number has 10 digits (area code and number), e.g. 555 010 2030; this one has {national.Length}.", out error);
            international = defaultCountryCode + national;
        }

        if (international.Length == 0 || international[0] == '0')
            return Refuse($"A country code never starts with 0: start with + and the country code, e.g. {Example}.", out error);
        if (international.Length is < 7 or > 15)
            return Refuse($"A phone number with its country code has 7 to 15 digits; this one has {international.Length}.", out error);
        return "+" + international;
    }

    static string? Refuse(string message, out string error)
    {
        error = message;
        return null;
    }

    /// <summary>"+1******2030": the country's first digit and the last four, for lists an admin reads.</summary>
    public static string Mask(string e164) =>
        e164.Length <= 6 ? new string('*', e164.Length) : e164[..2] + new string('*', e164.Length - 6) + e164[^4..];
}
