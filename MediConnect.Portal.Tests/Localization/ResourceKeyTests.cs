using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using MediConnect.Portal.Localization;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace MediConnect.Portal.Tests.Localization;

/// <summary>
/// The resource sets against the code that reads them: every key a component asks its localizer for
/// is in the <c>en</c> resources with a text, and every resource is used somewhere.
/// </summary>
public sealed partial class ResourceKeyTests
{
    static readonly string[] Areas = [nameof(ShellText), nameof(SignInText), nameof(PatientText), nameof(VitalsText), nameof(NoticeText)];

    static string PortalFolder => Repository.PathOf("MediConnect.Portal");

    static Dictionary<string, string> Resources(string area) =>
        XDocument.Load(Path.Combine(PortalFolder, "Localization", area + ".resx")).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");

    static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(PortalFolder, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [GeneratedRegex(@"IStringLocalizer<(\w+)>")]
    private static partial Regex LocalizerType();

    [GeneratedRegex(@"\b(?:L|text)\[""([^""]+)""")]
    private static partial Regex LiteralKey();

    [Fact]
    public void EveryKeyTheCodeAsksForHasAnEnglishText()
    {
        var resources = Areas.ToDictionary(a => a, Resources);
        var missing = new List<string>();
        var asked = 0;
        foreach (var file in SourceFiles())
        {
            var source = File.ReadAllText(file);
            if (LocalizerType().Match(source) is not { Success: true } localizer)
                continue;
            var area = localizer.Groups[1].Value;
            Assert.True(resources.ContainsKey(area), $"{file} uses IStringLocalizer<{area}>, which has no resource set");
            foreach (Match key in LiteralKey().Matches(source))
            {
                asked++;
                if (!resources[area].ContainsKey(key.Groups[1].Value))
                    missing.Add($"{Path.GetFileName(file)}: {area}.{key.Groups[1].Value}");
            }
        }
        Assert.True(asked > 300, $"only {asked} keys found: is the scan still finding the components?");
        Assert.Empty(missing);
    }

    [Fact]
    public void NoEnglishTextIsEmptyAndEveryResourceIsUsed()
    {
        var sources = string.Join("\n", SourceFiles().Select(File.ReadAllText));
        foreach (var area in Areas)
        {
            var resources = Resources(area);
            Assert.NotEmpty(resources);
            Assert.Empty(resources.Where(r => string.IsNullOrWhiteSpace(r.Value)).Select(r => $"{area}.{r.Key}"));
            // Used as a literal key: L["Key"], or a key a method hands to the localizer (UserMenu.RoleKey).
            Assert.Empty(resources.Keys.Where(key => !sources.Contains($"\"{key}\"", StringComparison.Ordinal)).Select(key => $"{area}.{key}"));
        }
    }

    [Fact]
    public void TheBuiltPortalFindsEachResourceSetForEnglishAndItsRegionalCultures()
    {
        using var services = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider();
        var before = CultureInfo.CurrentUICulture;
        try
        {
            foreach (var ui in new[] { "en", "en-GB", "en-US" })
            {
                CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(ui);
                Assert.Equal("Sign out", services.GetRequiredService<IStringLocalizer<ShellText>>()["SignOut"].Value);
                Assert.Equal("Verify", services.GetRequiredService<IStringLocalizer<SignInText>>()["Code.Verify"].Value);
                var patient = services.GetRequiredService<IStringLocalizer<PatientText>>();
                Assert.False(patient["Vitals.RecordReading"].ResourceNotFound);
                Assert.Equal("Booked with Dr. Sarah Smith on Monday.", patient["Appointments.BookedWith", "Dr. Sarah Smith", "Monday"].Value);
                Assert.Equal("Normal 60–100 bpm", services.GetRequiredService<IStringLocalizer<VitalsText>>()["Chart.NormalKey", "60–100", "bpm"].Value);
            }
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}
