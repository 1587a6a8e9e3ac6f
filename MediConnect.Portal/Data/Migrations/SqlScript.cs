namespace MediConnect.Portal.Data.Migrations;

/// <summary>One statement of a migration file and where it starts in the file.</summary>
public sealed record SqlStatement(string Text, int Offset);

/// <summary>
/// Splits a SQL file into statements at top-level semicolons, respecting quotes, quoted
/// identifiers, dollar-quoted bodies and comments. Knowing each statement's offset lets a
/// failure be reported at its line in the file.
/// </summary>
public static class SqlScript
{
    public static IReadOnlyList<SqlStatement> Split(string sql)
    {
        var statements = new List<SqlStatement>();
        var start = 0;
        var hasCode = false;
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            var next = i + 1 < sql.Length ? sql[i + 1] : '\0';
            if (c == '-' && next == '-')
                i = SkipPast(sql, i, "\n");
            else if (c == '/' && next == '*')
                i = SkipBlockComment(sql, i);
            else
            {
                if (c == ';')
                {
                    Add(statements, sql, start, i, hasCode);
                    start = i + 1;
                    hasCode = false;
                    i++;
                    continue;
                }
                hasCode |= !char.IsWhiteSpace(c);
                i = c switch
                {
                    '\'' => SkipQuoted(sql, i, '\'', backslashEscapes: i > 0 && sql[i - 1] is 'E' or 'e'),
                    '"' => SkipQuoted(sql, i, '"', backslashEscapes: false),
                    '$' when DollarTag(sql, i) is { } tag => SkipPast(sql, i + tag.Length, tag),
                    _ => i + 1,
                };
            }
        }
        Add(statements, sql, start, sql.Length, hasCode);
        return statements;
    }

    static void Add(List<SqlStatement> statements, string sql, int start, int end, bool hasCode)
    {
        if (!hasCode)
            return;
        var text = sql[start..end];
        var leading = text.Length - text.TrimStart().Length;
        statements.Add(new SqlStatement(text.Trim(), start + leading));
    }

    /// <summary>The index just after the next <paramref name="terminator"/>, or the end of the text.</summary>
    static int SkipPast(string sql, int from, string terminator)
    {
        var at = sql.IndexOf(terminator, from, StringComparison.Ordinal);
        return at < 0 ? sql.Length : at + terminator.Length;
    }

    static int SkipBlockComment(string sql, int i)
    {
        var depth = 0;
        while (i < sql.Length - 1)
        {
            if (sql[i] == '/' && sql[i + 1] == '*') { depth++; i += 2; }
            else if (sql[i] == '*' && sql[i + 1] == '/') { depth--; i += 2; if (depth == 0) return i; }
            else i++;
        }
        return sql.Length;
    }

    static int SkipQuoted(string sql, int i, char quote, bool backslashEscapes)
    {
        for (i++; i < sql.Length; i++)
        {
            if (backslashEscapes && sql[i] == '\\') { i++; continue; }
            if (sql[i] != quote) continue;
            if (i + 1 < sql.Length && sql[i + 1] == quote) { i++; continue; } // doubled quote
            return i + 1;
        }
        return sql.Length;
    }

    /// <summary>The <c>$tag$</c> opening a dollar-quoted string at <paramref name="i"/>, if there is one.</summary>
    static string? DollarTag(string sql, int i)
    {
        if (i > 0 && (char.IsLetterOrDigit(sql[i - 1]) || sql[i - 1] == '_'))
            return null; // part of an identifier such as foo$1
        var end = i + 1;
        while (end < sql.Length && (char.IsLetterOrDigit(sql[end]) || sql[end] == '_'))
            end++;
        if (end >= sql.Length || sql[end] != '$' || (end > i + 1 && char.IsDigit(sql[i + 1])))
            return null; // $1 is a parameter, not a tag
        return sql[i..(end + 1)];
    }
}
