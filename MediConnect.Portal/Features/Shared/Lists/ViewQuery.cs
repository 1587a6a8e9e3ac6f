using System.Globalization;

namespace MediConnect.Portal.Features.Shared.Lists;

/// <summary>
/// A list view's state (scope, filters, search, sort, page, day) lives in the URL's query, so a
/// reload, Back/Forward or a shared link shows the same view. Pages read their
/// <c>[SupplyParameterFromQuery]</c> strings through these parsers, which turn anything unknown or
/// malformed into the default (never an error), and write the state back through
/// <see cref="QueryWatch"/>, leaving defaults out so a plain address stays clean.
/// The URL only chooses among what the server lets the signed-in user see; it never widens access.
/// </summary>
public static class ViewQuery
{
    /// <summary>Pages beyond this are treated as a malformed URL.</summary>
    const int MaxPage = 100_000;

    /// <summary>Search text longer than this is cut (a URL is not a place for essays).</summary>
    const int MaxText = 200;

    /// <summary>The 0-based page index of a 1-based <c>page=N</c>; 0 when missing or invalid.</summary>
    public static int PageIndex(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page is >= 1 and <= MaxPage ? page - 1 : 0;

    /// <summary>The <c>page</c> value of a 0-based page index; null (left out) for the first page.</summary>
    public static string? PageValue(int index) => index > 0 ? (index + 1).ToString(CultureInfo.InvariantCulture) : null;

    /// <summary>A page size from the ones the pager offers; otherwise <paramref name="fallback"/>.</summary>
    public static int PageSize(string? value, IReadOnlyCollection<int> allowed, int fallback) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && allowed.Contains(size) ? size : fallback;

    /// <summary>The <c>size</c> value of a page size; null when it is the default.</summary>
    public static string? PageSizeValue(int size, int fallback) => size == fallback ? null : size.ToString(CultureInfo.InvariantCulture);

    /// <summary>One of <paramref name="choices"/> by its (case-insensitive) name; otherwise <paramref name="fallback"/>.</summary>
    public static string Choice(string? value, IEnumerable<string> choices, string fallback) =>
        choices.FirstOrDefault(c => string.Equals(c, value, StringComparison.OrdinalIgnoreCase)) ?? fallback;

    /// <summary>An enum member by name (numbers and combinations are not names); otherwise <paramref name="fallback"/>.</summary>
    public static T Choice<T>(string? value, T fallback) where T : struct, Enum =>
        value is { Length: > 0 } && value.All(char.IsAsciiLetter) && Enum.TryParse<T>(value, ignoreCase: true, out var parsed) ? parsed : fallback;

    /// <summary>The lower-case name of <paramref name="value"/>; null when it is the default.</summary>
    public static string? ChoiceValue<T>(T value, T fallback) where T : struct, Enum =>
        EqualityComparer<T>.Default.Equals(value, fallback) ? null : value.ToString().ToLowerInvariant();

    /// <summary>An ISO date (<c>yyyy-MM-dd</c>); null when missing or not a date.</summary>
    public static DateOnly? Date(string? value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    /// <summary>The ISO form of <paramref name="date"/>; null when missing or the default.</summary>
    public static string? DateValue(DateOnly? date, DateOnly? fallback = null) =>
        date is { } d && d != fallback ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null;

    /// <summary>Search text, trimmed and capped; null when blank.</summary>
    public static string? Text(string? value)
    {
        var text = value?.Trim();
        return string.IsNullOrEmpty(text) ? null : text.Length > MaxText ? text[..MaxText] : text;
    }

    /// <summary><c>true</c> for <c>true</c>/<c>1</c>/<c>yes</c>; false otherwise.</summary>
    public static bool Flag(string? value) => value?.ToLowerInvariant() is "true" or "1" or "yes";

    /// <summary>The <c>true</c> value of a flag that is on; null (left out) when off.</summary>
    public static string? FlagValue(bool on) => on ? "true" : null;
}
