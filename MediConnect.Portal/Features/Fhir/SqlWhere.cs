using Dapper;

namespace MediConnect.Portal.Features.Fhir;

/// <summary>
/// The WHERE clause of a search, built from parsed parameters: every value is a bound parameter,
/// never text from the request. Starts with the caller's access (<see cref="PatientAccess"/>).
/// </summary>
public sealed class SqlWhere
{
    readonly List<string> _clauses = [];
    int _next;

    public SqlWhere(PatientAccess access) => Args.AddDynamicParams(access);

    public DynamicParameters Args { get; } = new();

    /// <summary>Binds <paramref name="value"/> and returns its placeholder.</summary>
    public string Bind(object? value)
    {
        var name = $"p{_next++}";
        Args.Add(name, value);
        return "@" + name;
    }

    public SqlWhere And(string clause)
    {
        _clauses.Add(clause);
        return this;
    }

    /// <summary><paramref name="column"/> within each of <paramref name="bounds"/>, the bounds turned into column values by <paramref name="convert"/>.</summary>
    public SqlWhere Within(string column, IEnumerable<DateBound> bounds, Func<DateTimeOffset, object> convert)
    {
        foreach (var bound in bounds)
        {
            if (bound.From is { } from)
                And($"{column} >= {Bind(convert(from))}");
            if (bound.Before is { } before)
                And($"{column} < {Bind(convert(before))}");
        }
        return this;
    }

    /// <summary>Binds <c>@limit</c> to one row more than a page, which tells whether another page follows.</summary>
    public SqlWhere Page(int count)
    {
        Args.Add("limit", count + 1);
        return this;
    }

    public override string ToString() => _clauses.Count == 0 ? "true" : string.Join("\n  AND ", _clauses);
}
