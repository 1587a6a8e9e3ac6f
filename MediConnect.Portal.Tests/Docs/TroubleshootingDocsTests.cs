using System.Text.RegularExpressions;
using MediConnect.Portal.Tests.Fixtures;

namespace MediConnect.Portal.Tests.Docs;

/// <summary>
/// docs/troubleshooting.md names every start-up refusal the portal can print: the message of every
/// <c>new PortalConfigurationException(…)</c> in MediConnect.Portal/**/*.cs and every cause
/// <c>DatabaseRefusal</c> names. For each message the test looks for its longest literal piece
/// (the text between interpolation holes), so the page shows the message with example values.
/// </summary>
public sealed partial class TroubleshootingDocsTests
{
    static string Page() => Normalize(File.ReadAllText(Repository.PathOf("docs", "troubleshooting.md")));

    static string Normalize(string text) => Whitespace().Replace(text, " ");

    /// <summary>The text the page must hold for a message: its longest literal piece, without the quotes, brackets and punctuation around it.</summary>
    static string Distinctive(IReadOnlyList<string> pieces) =>
        Normalize(pieces.Select(p => p.Trim(' ', '\'', '"', '(', ')', ',', '.', ':')).MaxBy(p => p.Length)!);

    static IEnumerable<string> SourceFiles()
    {
        var separator = Path.DirectorySeparatorChar;
        return Directory.EnumerateFiles(Repository.PathOf("MediConnect.Portal"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{separator}obj{separator}", StringComparison.Ordinal)
                        && !f.Contains($"{separator}bin{separator}", StringComparison.Ordinal));
    }

    static List<(string Where, string Text)> RefusalMessages() =>
        [.. SourceFiles().SelectMany(file => MessageLiterals.InConstructions(File.ReadAllText(file), "PortalConfigurationException")
            .Select(m => ($"{Path.GetRelativePath(Repository.Root, file)}:{m.Line}", Distinctive(m.Pieces))))];

    [Fact]
    public void EveryStartUpRefusalIsOnTheTroubleshootingPage()
    {
        var messages = RefusalMessages();
        var page = Page();

        var missing = messages.Where(m => !page.Contains(m.Text, StringComparison.Ordinal)).Select(m => $"{m.Where}: \"{m.Text}\"").ToList();

        Assert.True(messages.Count >= 20, $"only {messages.Count} refusal messages found: has the way they are built changed?");
        Assert.All(messages, m => Assert.True(m.Text.Length >= 10, $"{m.Where}: the message has too little literal text to look for (\"{m.Text}\")"));
        Assert.True(missing.Count == 0, "Start-up refusals docs/troubleshooting.md does not show:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void EveryCauseOfAnUnreachableDatabaseIsOnTheTroubleshootingPage()
    {
        var source = Repository.PathOf("MediConnect.Portal", "Data", "DatabaseRefusal.cs");
        var causes = MessageLiterals.InReturnedTuples(File.ReadAllText(source)).Select(m => (m.Line, Text: Distinctive(m.Pieces))).ToList();
        var page = Page();

        var missing = causes.Where(c => !page.Contains(c.Text, StringComparison.Ordinal)).Select(c => $"DatabaseRefusal.cs:{c.Line}: \"{c.Text}\"").ToList();

        Assert.True(causes.Count >= 5, $"only {causes.Count} causes found in DatabaseRefusal.cs");
        Assert.Contains("cannot reach PostgreSQL at", page);
        Assert.True(missing.Count == 0, "Causes docs/troubleshooting.md does not show:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void MessagesAreReadAsThePortalBuildsThem()
    {
        const string source = """
            throw new PortalConfigurationException($"{key} must be between {min} and {max}, but is {value}.");
            throw new PortalConfigurationException(
                "No database is configured: set DATABASE_URL, "
                + $"or POSTGRES_HOST ({string.Join(", ", names)}).");
            throw new PortalConfigurationException(max == 1 ? $"{key} is one" : $"{key} is many things");
            """;

        var messages = MessageLiterals.InConstructions(source, "PortalConfigurationException").Select(m => Distinctive(m.Pieces)).ToList();

        Assert.Equal(["must be between", "No database is configured: set DATABASE_URL, or POSTGRES_HOST", "is one", "is many things"], messages);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
