using MediConnect.Portal.Security;

namespace MediConnect.Portal.Features.Shared.Lists;

/// <summary>
/// What a list's search or name filter may hold (checked like every free text, so a NUL or an
/// escape character gets a message instead of a database error), and its ILIKE pattern.
/// </summary>
public static class SearchText
{
    public static readonly TextField Rule = new("The search", 200);

    /// <summary>A case-insensitive "contains" pattern for <c>ILIKE … ESCAPE '\'</c>, with the user's % and _ taken literally; null when blank.</summary>
    /// <exception cref="BusinessRuleException">The text breaks <see cref="Rule"/>.</exception>
    public static string? LikePattern(string? text) =>
        Clean(text) is { } search
            ? "%" + search.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%"
            : null;

    /// <summary>The text trimmed, null when blank.</summary>
    /// <exception cref="BusinessRuleException">The text breaks <see cref="Rule"/>.</exception>
    public static string? Clean(string? text) =>
        Rule.Error(text) is { } error ? throw new BusinessRuleException(error) : TextField.Clean(text);
}
