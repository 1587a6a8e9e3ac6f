using System.Text.RegularExpressions;
using MediConnect.Portal.Tests.Fixtures;

namespace MediConnect.Portal.Tests.Docs;

/// <summary>
/// docs/configuration.md lists every setting the portal reads, and nothing else. The code's settings
/// come from its source (<see cref="SettingsReadByTheCode"/>); the documented ones are the first
/// column of the page's tables.
/// </summary>
public sealed partial class ConfigurationDocsTests
{
    const string FrameworkSection = "Settings read by ASP.NET Core and Serilog";

    /// <summary>
    /// Every <c>NAME_LIKE_THIS</c> string literal on a line of MediConnect.Portal/**/*.cs that mentions
    /// config or setting (<c>config["X"]</c>, <c>ReadInt(config, "X", …)</c>, <c>const string Setting = "X"</c>),
    /// and every connection string name read with <c>…ConnectionString(…, "X")</c> as <c>ConnectionStrings__X</c>.
    /// Returns each setting with the first place that reads it.
    /// </summary>
    static Dictionary<string, string> SettingsReadByTheCode()
    {
        var settings = new Dictionary<string, string>();
        foreach (var file in SourceFiles())
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var where = $"{Path.GetRelativePath(Repository.Root, file)}:{i + 1}";
                if (ConfigLinePattern().IsMatch(lines[i]))
                {
                    foreach (Match key in UpperSnakeLiteralPattern().Matches(lines[i]))
                        settings.TryAdd(key.Groups["key"].Value, where);
                }
                foreach (Match name in ConnectionStringPattern().Matches(lines[i]))
                    settings.TryAdd($"ConnectionStrings__{name.Groups["name"].Value}", where);
            }
        }
        return settings;
    }

    static IEnumerable<string> SourceFiles()
    {
        var separator = Path.DirectorySeparatorChar;
        return Directory.EnumerateFiles(Repository.PathOf("MediConnect.Portal"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{separator}obj{separator}", StringComparison.Ordinal)
                        && !f.Contains($"{separator}bin{separator}", StringComparison.Ordinal));
    }

    /// <summary>The first column of configuration.md's tables, where it is one setting name in backticks, by section.</summary>
    static List<(string Section, string Key)> DocumentedSettings() =>
        [.. Markdown.Read(Repository.PathOf("docs", "configuration.md")).TableRows()
            .Select(row => (row.Heading, Match: DocumentedKeyPattern().Match(row.Cells[0])))
            .Where(row => row.Match.Success)
            .Select(row => (row.Heading, row.Match.Groups["key"].Value))];

    [Fact]
    public void EverySettingTheCodeReadsIsDocumented()
    {
        var read = SettingsReadByTheCode();
        var documented = DocumentedSettings().Select(d => d.Key).ToHashSet();

        var missing = read.Where(r => !documented.Contains(r.Key)).Select(r => $"{r.Key} (read at {r.Value})").ToList();

        Assert.True(read.Count >= 30, $"only {read.Count} settings found in the source: has the way settings are read changed?");
        Assert.True(missing.Count == 0, "Settings the code reads that docs/configuration.md does not list:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void EveryDocumentedSettingIsReadByTheCode()
    {
        var read = SettingsReadByTheCode();

        var stale = DocumentedSettings()
            .Where(d => d.Section != FrameworkSection && !read.ContainsKey(d.Key))
            .Select(d => $"{d.Key} (section \"{d.Section}\")").ToList();

        Assert.True(stale.Count == 0, "Settings in docs/configuration.md that no code reads:\n" + string.Join("\n", stale));
    }

    [Fact]
    public void EveryFrameworkSettingDocumentedIsSetByAShippedFile()
    {
        var shipped = string.Join("\n", new[]
        {
            Repository.PathOf("appsettings.json"),
            Repository.PathOf("MediConnect.Portal", "Properties", "launchSettings.json"),
            Repository.PathOf("Dockerfile"),
            Repository.PathOf("docker-compose.yml"),
            Repository.PathOf("ops", "systemd", "mediconnect-portal@.service"),
        }.Select(File.ReadAllText));
        var framework = DocumentedSettings().Where(d => d.Section == FrameworkSection).Select(d => d.Key).ToList();

        Assert.NotEmpty(framework);
        Assert.All(framework, key => Assert.True(shipped.Contains(key, StringComparison.Ordinal), $"{key} is in no shipped settings file"));
    }

    [GeneratedRegex("config|setting", RegexOptions.IgnoreCase)]
    private static partial Regex ConfigLinePattern();

    [GeneratedRegex(@"""(?<key>[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)""")]
    private static partial Regex UpperSnakeLiteralPattern();

    [GeneratedRegex(@"ConnectionString\(\s*(?:\w+\s*,\s*)?""(?<name>\w+)""")]
    private static partial Regex ConnectionStringPattern();

    [GeneratedRegex(@"^`(?<key>[A-Za-z][A-Za-z0-9_]*)`$")]
    private static partial Regex DocumentedKeyPattern();
}
