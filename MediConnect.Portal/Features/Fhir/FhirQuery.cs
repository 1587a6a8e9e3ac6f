using System.Globalization;
using System.Text;

namespace MediConnect.Portal.Features.Fhir;

/// <summary>
/// The parameters of one search, as the client sent them. <see cref="Check"/> refuses any name
/// the resource type does not support (400, so a typo never silently widens a search); the
/// typed readers below turn values into what the SQL needs, or a 400 that says what is wrong.
/// </summary>
public sealed class FhirQuery
{
    public const int DefaultCount = 50;
    public const int MaxCount = 500;
    public const string CursorName = "_cursor";

    /// <summary>Result parameters every search takes besides its own.</summary>
    public static readonly IReadOnlyList<string> ResultParameters = ["_count", CursorName, "_format", "_pretty"];

    readonly IReadOnlyList<KeyValuePair<string, string>> _pairs;

    FhirQuery(IReadOnlyList<KeyValuePair<string, string>> pairs) => _pairs = pairs;

    public static FhirQuery From(IQueryCollection query) =>
        new([.. query.SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string>(q.Key, v ?? "")))]);

    public static FhirQuery Of(params (string Name, string? Value)[] pairs) =>
        new([.. pairs.Where(p => p.Value is not null).Select(p => new KeyValuePair<string, string>(p.Name, p.Value!))]);

    /// <exception cref="FhirException">400 naming the first parameter that is not in <paramref name="supported"/>.</exception>
    public void Check(IEnumerable<string> supported)
    {
        var known = supported.Concat(ResultParameters).ToHashSet(StringComparer.Ordinal);
        var unknown = _pairs.Select(p => p.Key).FirstOrDefault(name => !known.Contains(name));
        if (unknown is not null)
            throw FhirException.BadParameter($"The search parameter '{unknown}' is not supported here. Supported: {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
        var format = Single("_format");
        if (format is not null && format is not ("json" or "application/json" or "application/fhir+json"))
            throw FhirException.NotSupported("Only JSON is served (_format=json).", StatusCodes.Status406NotAcceptable);
    }

    public bool Has(string name) => _pairs.Any(p => p.Key == name);

    /// <summary>Every value of a repeatable parameter (repetitions AND together).</summary>
    public IReadOnlyList<string> All(string name) => [.. _pairs.Where(p => p.Key == name).Select(p => p.Value)];

    /// <summary>The value of a parameter that may appear once, or null when absent.</summary>
    public string? Single(string name)
    {
        var values = All(name);
        if (values.Count > 1)
            throw FhirException.BadParameter($"'{name}' may be given only once (separate alternatives with commas).");
        return values.Count == 0 ? null : values[0];
    }

    /// <summary>The alternatives of a parameter given once (<c>a,b</c> means a or b); empty when absent.</summary>
    public IReadOnlyList<string> Alternatives(string name)
    {
        var value = Single(name);
        if (value is null)
            return [];
        var parts = value.Split(',').Select(v => v.Trim()).ToList();
        if (parts.Any(p => p.Length == 0))
            throw FhirException.BadParameter($"'{name}' has an empty value.");
        return parts;
    }

    /// <summary>Page size: <c>_count</c> (1 or more; more than <see cref="MaxCount"/> is served as <see cref="MaxCount"/>).</summary>
    public int Count
    {
        get
        {
            var text = Single("_count");
            if (text is null)
                return DefaultCount;
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
                throw FhirException.BadParameter("_count must be a whole number of 1 or more.");
            return Math.Min(count, MaxCount);
        }
    }

    public string? Cursor => Single(CursorName);

    /// <summary>The ids of <c>name=Type/1,2</c> (also plain ids or absolute URLs ending in <c>Type/id</c>); empty when absent.</summary>
    public IReadOnlyList<int> References(string name, string resourceType) =>
    [
        .. Alternatives(name).Select(value =>
        {
            var parts = value.Split('/');
            var id = parts[^1];
            var typeOk = parts.Length == 1 || parts[^2] == resourceType;
            return typeOk && int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n
                : throw FhirException.BadParameter($"'{name}' must name a {resourceType} (e.g. {resourceType}/12), not '{value}'.");
        }),
    ];

    /// <summary>The alternatives of a token parameter: <c>system|code</c>, <c>|code</c>, <c>code</c> or <c>system|</c>.</summary>
    public IReadOnlyList<SearchToken> Tokens(string name) =>
    [
        .. Alternatives(name).Select(value =>
        {
            var bar = value.IndexOf('|', StringComparison.Ordinal);
            return bar < 0 ? new SearchToken(null, value) : new SearchToken(value[..bar], value[(bar + 1)..]);
        }),
    ];

    /// <summary>Every <c>name=[prefix]date</c> (repeat the parameter for a range), read in <paramref name="zone"/> when it has no offset.</summary>
    public IReadOnlyList<DateBound> Dates(string name, TimeZoneInfo zone) => [.. All(name).Select(v => DateBound.Parse(name, v, zone))];

    /// <summary>This query for another page: the same parameters with <c>_cursor</c> set to <paramref name="cursor"/>.</summary>
    public string WithCursor(string cursor)
    {
        var query = new StringBuilder();
        foreach (var (key, value) in _pairs.Where(p => p.Key != CursorName).Append(new(CursorName, cursor)))
            query.Append(query.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
        return query.ToString();
    }
}

/// <summary>One alternative of a token search. <see cref="System"/> is null for "any system", empty for "no system"; <see cref="Code"/> empty for "any code".</summary>
public sealed record SearchToken(string? System, string Code)
{
    public bool Matches(string system, string code) =>
        (System is null || System == system) && (Code.Length == 0 || Code == code);
}
