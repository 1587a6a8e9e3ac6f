namespace MediConnect.Portal.Tests.Docs;

/// <summary>Every relative link in README.md and docs/ reaches a file or folder, and its #anchor a heading there.</summary>
public sealed class DocLinkTests
{
    [Fact]
    public void EveryRelativeLinkReachesAFileAndAHeading()
    {
        var pages = Markdown.AllPages().ToList();
        var broken = new List<string>();
        foreach (var page in pages)
        {
            foreach (var (line, target) in page.Links())
            {
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                    continue;
                var (file, anchor) = target.Split('#', 2) switch
                {
                    [var f, var a] => (f, a),
                    [var f] => (f, null),
                    _ => ("", null),
                };
                var resolved = file.Length == 0
                    ? page.Path
                    : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page.Path)!, Uri.UnescapeDataString(file)));
                if (!File.Exists(resolved) && !Directory.Exists(resolved))
                    broken.Add($"{page.RelativePath}:{line}: {target} (no such file)");
                else if (anchor is not null && resolved.EndsWith(".md", StringComparison.Ordinal)
                         && !Markdown.Read(resolved).Anchors().Contains(anchor))
                    broken.Add($"{page.RelativePath}:{line}: {target} (no heading makes #{anchor})");
            }
        }

        Assert.True(pages.Count > 10, $"only {pages.Count} pages found");
        Assert.True(broken.Count == 0, "Broken links:\n" + string.Join("\n", broken));
    }

    [Theory]
    [InlineData("AWS (RDS for PostgreSQL)", "aws-rds-for-postgresql")]
    [InlineData("Settings read by ASP.NET Core and Serilog", "settings-read-by-aspnet-core-and-serilog")]
    [InlineData("What /health answers", "what-health-answers")]
    [InlineData("Emergency access (break-glass)", "emergency-access-break-glass")]
    public void AnchorsFollowGitHubsRules(string heading, string anchor) => Assert.Equal(anchor, Markdown.Slug(heading));

    [Fact]
    public void ReadmeIsShortAndStartsWithTheTwoCommands()
    {
        var readme = File.ReadAllLines(Fixtures.Repository.PathOf("README.md"));
        Assert.True(readme.Length <= 150, $"README.md has {readme.Length} lines");

        var firstBlock = readme.SkipWhile(l => !l.StartsWith("```", StringComparison.Ordinal)).Skip(1)
            .TakeWhile(l => !l.StartsWith("```", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, firstBlock.Count);
        Assert.StartsWith("dotnet run --project MediConnect.Portal", firstBlock[0]);
        Assert.StartsWith("./test.sh", firstBlock[1]);
    }
}
