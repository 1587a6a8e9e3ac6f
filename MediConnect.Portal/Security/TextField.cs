using System.Globalization;
using System.Text;

namespace MediConnect.Portal.Security;

/// <summary>What a free-text field may hold besides printable text.</summary>
public enum TextKind
{
    /// <summary>One line: no control character at all.</summary>
    Line,

    /// <summary>Several lines: newlines and tabs, no other control character.</summary>
    Lines,

    /// <summary>
    /// A name, email or subject other people see: one line, and none of the characters that
    /// reorder text on screen (U+202E and friends), which would let it pose as something else.
    /// </summary>
    Identity,

    /// <summary>
    /// Several lines other people read (a break-glass reason, shown to the patient's doctors and the
    /// reviewer): newlines and tabs, and none of the characters that reorder text on screen.
    /// </summary>
    SharedLines,
}

/// <summary>
/// The one validation path for free text: a field's label, limit and kind. Services check every
/// text they write with <see cref="Error"/> (too long is refused, never cut; control characters,
/// including NUL, are refused with a field message) and store <see cref="Clean"/>; forms show the
/// same limit and counter (<c>TextInput</c>) and the same messages as the user types.
/// <paramref name="Missing"/>, when set, makes the field required and is the message for an empty value.
/// </summary>
public sealed record TextField(string Label, int MaxLength, TextKind Kind = TextKind.Line, string? Missing = null)
{
    /// <summary>Null when <paramref name="value"/> is acceptable (blank is acceptable unless the field is required), else the message to show.</summary>
    public string? Error(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return Missing;
        var text = value.Trim();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    i++;
                else
                    return $"{Label} contains a broken character; please retype it.";
            }
            else if (c is '\n' or '\r' or '\t' && Kind is not (TextKind.Lines or TextKind.SharedLines))
                return $"{Label} must fit on one line.";
            else if (char.IsControl(c) && c is not ('\n' or '\r' or '\t'))
                return $"{Label} contains an invisible control character ({Describe(c)}); please remove it.";
            else if (Kind is TextKind.Identity or TextKind.SharedLines && IsDirectionControl(c))
                return $"{Label} contains a character that reverses or reorders text on screen ({Describe(c)}); please remove it.";
        }
        if (text.Length > MaxLength)
            return $"{Label} can be at most {MaxLength} characters; this is {text.Length}.";
        return null;
    }

    /// <summary>How many letters and digits <paramref name="value"/> holds: what a reader can actually read, without spaces, punctuation or invisible characters.</summary>
    public static int VisibleLettersAndDigits(string? value) => value is null ? 0 : value.EnumerateRunes().Count(Rune.IsLetterOrDigit);

    /// <summary>The value as stored: trimmed, null when blank. Call after <see cref="Error"/> returned null.</summary>
    public static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>The bidirectional marks, embeddings, overrides and isolates (U+061C, U+200E–U+200F, U+202A–U+202E, U+2066–U+2069).</summary>
    public static bool IsDirectionControl(char c) => c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    static string Describe(char c) => c == '\0' ? "NUL" : "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);
}

public static class TextFieldErrors
{
    /// <summary>Adds <paramref name="rule"/>'s message for <paramref name="value"/> under <paramref name="field"/>, unless that field already has one.</summary>
    public static void Check(this IDictionary<string, string> errors, string field, TextField rule, string? value)
    {
        if (!errors.ContainsKey(field) && rule.Error(value) is { } error)
            errors[field] = error;
    }
}
