using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MediConnect.Portal.Benchmarks.Pages;

/// <summary>One command a page ran: its SQL text as the service built it and its parameter values.</summary>
public sealed record CapturedCommand(string Sql, IReadOnlyList<(string Name, object? Value)> Parameters);

/// <summary>
/// Turns the commands a page sent (<see cref="CommandRecorder"/>) into a pgbench script: the same SQL
/// text, with the page's doctor and patient ids as pgbench variables and every other parameter as a
/// typed literal.
/// </summary>
public static partial class CapturedCommands
{
    static readonly HashSet<string> PagingParameters = new(["limit", "offset", "take", "skip", "pagesize"], StringComparer.OrdinalIgnoreCase);

    /// <summary>The pgbench script: the id choice of <see cref="Shape.PgbenchVariables"/>, then every command.</summary>
    public static string PgbenchScript(IEnumerable<CapturedCommand> commands, Shape shape, PageLoad page, PageIds ids)
    {
        var script = new StringBuilder(shape.PgbenchVariables(page.DevicePatient));
        foreach (var command in commands)
            script.Append(Inline(command, ids, variables: true)).Append(";\n");
        return script.ToString();
    }

    /// <summary>
    /// The command with its parameters written into the SQL: the sample doctor and patient ids as
    /// <c>:d</c> and <c>:p</c> when <paramref name="variables"/>, everything else as typed literals.
    /// </summary>
    public static string Inline(CapturedCommand command, PageIds ids, bool variables)
    {
        var values = command.Parameters.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        return Placeholder().Replace(command.Sql, match =>
        {
            var name = match.Groups[1].Value;
            if (!values.TryGetValue(name, out var value))
                return match.Value;
            if (variables && !PagingParameters.Contains(name))
            {
                var text = Convert.ToString(value, CultureInfo.InvariantCulture);
                if (text == ids.Doctor.ToString(CultureInfo.InvariantCulture)) return ":d";
                if (text == ids.PatientUser.ToString(CultureInfo.InvariantCulture)) return ":p";
            }
            return Literal(value);
        }).Trim().TrimEnd(';');
    }

    /// <summary>A PostgreSQL literal of the value, cast to the type Npgsql would have sent.</summary>
    public static string Literal(object? value) => value switch
    {
        null => "NULL",
        bool b => b ? "true" : "false",
        int or long or short or decimal or double or float => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        string s => Quote(s),
        DateOnly d => $"{Quote(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))}::date",
        TimeOnly t => $"{Quote(t.ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture))}::time",
        DateTime { Kind: DateTimeKind.Utc } t => $"{Quote(t.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00")}::timestamptz",
        DateTime t => $"{Quote(t.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture))}::timestamp",
        DateTimeOffset t => $"{Quote(t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00")}::timestamptz",
        TimeSpan t => $"{Quote(t.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " seconds")}::interval",
        byte[] bytes => $"{Quote("\\x" + Convert.ToHexString(bytes))}::bytea",
        string[] items => $"{Quote("{" + string.Join(",", items.Select(i => "\"" + i.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"")) + "}")}::text[]",
        int[] items => $"{Quote("{" + string.Join(",", items) + "}")}::integer[]",
        long[] items => $"{Quote("{" + string.Join(",", items) + "}")}::bigint[]",
        IEnumerable items => Literal(items.Cast<object>().Select(i => Convert.ToString(i, CultureInfo.InvariantCulture)!).ToArray()),
        _ => throw new NotSupportedException($"No literal for a parameter of type {value.GetType()}"),
    };

    static string Quote(string text) => "'" + text.Replace("'", "''") + "'";

    /// <summary>An <c>@name</c> parameter (not an <c>@&gt;</c> operator or an address).</summary>
    [GeneratedRegex(@"(?<![\w@])@(\w+)")]
    private static partial Regex Placeholder();
}
