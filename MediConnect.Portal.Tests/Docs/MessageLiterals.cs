using System.Text;

namespace MediConnect.Portal.Tests.Docs;

/// <summary>
/// The messages a piece of C# source can build, read from its string literals: <c>"a" + $"b {x} c"</c>
/// is one message whose literal pieces are "ab " and " c" (an interpolation hole splits a piece).
/// Enough C# for the portal's messages: regular and interpolated strings (holes may hold strings), <c>+</c> between them.
/// </summary>
public static class MessageLiterals
{
    /// <summary>The messages in the arguments of every <c>new TypeName(…)</c> in <paramref name="source"/>.</summary>
    public static IEnumerable<(int Line, IReadOnlyList<string> Pieces)> InConstructions(string source, string typeName)
    {
        var marker = $"new {typeName}(";
        for (var at = source.IndexOf(marker, StringComparison.Ordinal); at >= 0; at = source.IndexOf(marker, at + 1, StringComparison.Ordinal))
        {
            var line = source[..at].Count(c => c == '\n') + 1;
            foreach (var message in Messages(source, at + marker.Length, stopAtComma: false))
                yield return (line, message);
        }
    }

    /// <summary>The first argument of every <c>return (…)</c> tuple, when it is a string: DatabaseRefusal's causes.</summary>
    public static IEnumerable<(int Line, IReadOnlyList<string> Pieces)> InReturnedTuples(string source)
    {
        const string marker = "return (";
        for (var at = source.IndexOf(marker, StringComparison.Ordinal); at >= 0; at = source.IndexOf(marker, at + 1, StringComparison.Ordinal))
        {
            var line = source[..at].Count(c => c == '\n') + 1;
            var start = at + marker.Length;
            while (char.IsWhiteSpace(source[start]))
                start++;
            if (source[start] is '"' or '$')
                foreach (var message in Messages(source, start, stopAtComma: true))
                    yield return (line, message);
        }
    }

    /// <summary>Messages from <paramref name="start"/> to the closing parenthesis (or the first top-level comma).</summary>
    static List<IReadOnlyList<string>> Messages(string source, int start, bool stopAtComma)
    {
        var messages = new List<IReadOnlyList<string>>();
        List<string>? current = null;
        var joinNext = false;
        var depth = 0;
        for (var i = start; i < source.Length; i++)
        {
            var c = source[i];
            if (c == '"' || (c == '$' && i + 1 < source.Length && source[i + 1] == '"'))
            {
                var interpolated = c == '$';
                var pieces = ReadString(source, interpolated ? i + 1 : i, interpolated, out var end);
                if (joinNext && current is not null)
                {
                    current[^1] += pieces[0];
                    current.AddRange(pieces.Skip(1));
                }
                else
                {
                    current = [.. pieces];
                    messages.Add(current);
                }
                joinNext = false;
                i = end;
            }
            else if (c == '+')
                joinNext = current is not null;
            else if (char.IsWhiteSpace(c))
                continue;
            else if (c == '(')
                depth++;
            else if (c == ')' && depth-- == 0 || stopAtComma && c == ',' && depth == 0)
                break;
            else
            {
                joinNext = false;
                current = null;
            }
        }
        return messages;
    }

    /// <summary>Reads the string whose opening quote is at <paramref name="quote"/>; returns its literal pieces and sets <paramref name="end"/> to its closing quote.</summary>
    static List<string> ReadString(string source, int quote, bool interpolated, out int end)
    {
        var pieces = new List<string> { "" };
        var piece = new StringBuilder();
        var i = quote + 1;
        while (source[i] != '"')
        {
            if (source[i] == '\\')
            {
                piece.Append(source[i + 1] switch { 'n' => '\n', 't' => '\t', var other => other });
                i += 2;
            }
            else if (interpolated && source[i] == '{' && source[i + 1] == '{')
            {
                piece.Append('{');
                i += 2;
            }
            else if (interpolated && source[i] == '}' && source[i + 1] == '}')
            {
                piece.Append('}');
                i += 2;
            }
            else if (interpolated && source[i] == '{')
            {
                pieces[^1] = piece.ToString();
                piece.Clear();
                pieces.Add("");
                i = SkipHole(source, i);
            }
            else
                piece.Append(source[i++]);
        }
        pieces[^1] = piece.ToString();
        end = i;
        return pieces;
    }

    /// <summary>Index just past the hole that opens at <paramref name="open"/>, skipping strings inside it.</summary>
    static int SkipHole(string source, int open)
    {
        var depth = 0;
        for (var i = open; i < source.Length; i++)
        {
            if (source[i] == '"' || (source[i] == '$' && source[i + 1] == '"'))
            {
                var interpolated = source[i] == '$';
                ReadString(source, interpolated ? i + 1 : i, interpolated, out i);
            }
            else if (source[i] == '{')
                depth++;
            else if (source[i] == '}' && --depth == 0)
                return i + 1;
        }
        throw new InvalidOperationException("unclosed interpolation hole");
    }
}
