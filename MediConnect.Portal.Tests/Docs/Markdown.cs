using System.Text;
using System.Text.RegularExpressions;
using MediConnect.Portal.Tests.Fixtures;

namespace MediConnect.Portal.Tests.Docs;

/// <summary>The repository's Markdown pages as the doc tests read them: headings, links and table rows outside code blocks.</summary>
public sealed partial class Markdown(string path, string[] lines)
{
    public string Path { get; } = path;

    public static Markdown Read(string path) => new(path, File.ReadAllLines(path));

    /// <summary>README.md and every page under docs/.</summary>
    public static IEnumerable<Markdown> AllPages() =>
        new[] { Repository.PathOf("README.md") }
            .Concat(Directory.EnumerateFiles(Repository.PathOf("docs"), "*.md", SearchOption.AllDirectories))
            .Select(Read);

    public string RelativePath => System.IO.Path.GetRelativePath(Repository.Root, Path);

    /// <summary>Lines outside fenced code blocks, with their 1-based numbers.</summary>
    public IEnumerable<(int Number, string Text)> ProseLines()
    {
        var fenced = false;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }
            if (!fenced)
                yield return (i + 1, lines[i]);
        }
    }

    /// <summary>The anchors GitHub gives the page's headings: lower case, punctuation dropped, spaces to hyphens, repeats numbered.</summary>
    public IReadOnlySet<string> Anchors()
    {
        var anchors = new HashSet<string>();
        var seen = new Dictionary<string, int>();
        foreach (var (_, text) in ProseLines())
        {
            var heading = HeadingPattern().Match(text);
            if (!heading.Success)
                continue;
            var slug = Slug(heading.Groups["title"].Value);
            var count = seen.GetValueOrDefault(slug);
            seen[slug] = count + 1;
            anchors.Add(count == 0 ? slug : $"{slug}-{count}");
        }
        return anchors;
    }

    public static string Slug(string heading)
    {
        var text = InlineLinkPattern().Replace(heading, "${text}").Trim().ToLowerInvariant();
        var slug = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_')
                slug.Append(c);
            else if (c == ' ')
                slug.Append('-');
        }
        return slug.ToString();
    }

    /// <summary>Link targets of <c>[text](target)</c> and <c>![alt](target)</c> outside code, with their line numbers.</summary>
    public IEnumerable<(int Line, string Target)> Links()
    {
        foreach (var (number, text) in ProseLines())
        {
            foreach (Match link in LinkPattern().Matches(InlineCodePattern().Replace(text, "")))
                yield return (number, link.Groups["target"].Value);
        }
    }

    /// <summary>Rows of the tables under each level-two heading: the heading and the row's cells.</summary>
    public IEnumerable<(string Heading, string[] Cells)> TableRows()
    {
        var heading = "";
        foreach (var (_, text) in ProseLines())
        {
            var match = HeadingPattern().Match(text);
            if (match.Success)
                heading = match.Groups["title"].Value.Trim();
            else if (text.StartsWith('|') && !SeparatorPattern().IsMatch(text))
                yield return (heading, [.. text.Trim().Trim('|').Split('|').Select(cell => cell.Trim())]);
        }
    }

    [GeneratedRegex(@"^#{1,6}\s+(?<title>.+?)\s*#*\s*$")]
    private static partial Regex HeadingPattern();

    [GeneratedRegex(@"\[(?<text>[^\]]*)\]\([^)]*\)")]
    private static partial Regex InlineLinkPattern();

    [GeneratedRegex(@"!?\[[^\]]*\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex InlineCodePattern();

    [GeneratedRegex(@"^\|[\s:|-]+\|$")]
    private static partial Regex SeparatorPattern();
}
