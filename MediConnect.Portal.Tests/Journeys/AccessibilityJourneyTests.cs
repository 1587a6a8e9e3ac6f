using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Playwright;

namespace MediConnect.Portal.Tests.Journeys;

/// <summary>
/// axe-core (WCAG 2.0 and 2.1, levels A and AA) on every page of every role, the sign-in pages and
/// the account pages, each checked after its content has loaded. A page passes with no serious or
/// critical violation and no moderate one (see <see cref="ExcusedModerate"/>). Per-page counts go to the test
/// output, so a run shows where a page stands. With <c>SCREENSHOTS_DIR</c> set, it also takes the user guides' screenshots.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityJourneyTests(BrowserFixture browser, TestDatabase database) : IClassFixture<TestDatabase>, IAsyncDisposable
{
    static readonly string[] WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    /// <summary>
    /// axe files page structure under "best practice", not under a WCAG tag; these rules are run as
    /// well because they are what a screen-reader or keyboard user meets first (WCAG 1.3.1, 2.4.1, 2.4.6).
    /// </summary>
    static readonly string[] StructureRules =
        ["landmark-one-main", "landmark-no-duplicate-main", "page-has-heading-one", "heading-order", "skip-link", "landmark-unique"];

    /// <summary>
    /// Moderate violations a page may keep, by rule id, each with the reason it is excused. None
    /// today: add one only with its reason. Minor ones are reported but never fail a page.
    /// </summary>
    static readonly Dictionary<string, string> ExcusedModerate = [];

    readonly PortalFactory _portal = new(database.ConnectionString);
    readonly List<string> _failures = [];

    [Fact]
    public async Task SignInAndAccountPagesHaveNoAxeViolations()
    {
        var address = _portal.StartOnKestrel();
        var page = await browser.NewPageAsync(address);

        await CheckAllAsync(page, PortalPages.SignedOut);
        await page.SignInAsync(SignIn.PatientEmail, SignIn.PatientPassword);
        await CheckAllAsync(page, PortalPages.Account);

        AssertNoFailures();
    }

    [Fact]
    public async Task EveryPatientPageHasNoAxeViolations()
    {
        var address = _portal.StartOnKestrel();
        var page = await browser.NewPageAsync(address);
        await page.SignInAsync(SignIn.PatientEmail, SignIn.PatientPassword);

        await CheckAllAsync(page, await PortalPages.PatientAsync(database));

        AssertNoFailures();
    }

    [Fact]
    public async Task EveryDoctorPageHasNoAxeViolations()
    {
        var address = _portal.StartOnKestrel();
        var page = await browser.NewPageAsync(address);
        await page.SignInAsync(SignIn.DoctorEmail, SignIn.DoctorPassword);

        await CheckAllAsync(page, await PortalPages.DoctorAsync(database));

        AssertNoFailures();
    }

    [Fact]
    public async Task EveryAdminPageHasNoAxeViolations()
    {
        var address = _portal.StartOnKestrel();
        var page = await browser.NewPageAsync(address);
        await page.SignInAsync(SignIn.AdminEmail, SignIn.AdminPassword);

        await CheckAllAsync(page, PortalPages.Admin);

        AssertNoFailures();
    }

    [Fact]
    public async Task AKeyboardUserSkipsToTheContentSeesWhereFocusIsAndOpensAMessage()
    {
        var address = _portal.StartOnKestrel();
        var page = await browser.NewPageAsync(address);
        await page.SignInAsync(SignIn.PatientEmail, SignIn.PatientPassword);
        await page.GotoAsync("/patient/vitals");
        await page.WaitForCircuitAsync();
        await Assertions.Expect(page.Locator(".vital-trend-chart svg").First).ToBeVisibleAsync();

        // The skip link comes first in the tab order and shows itself on focus (navigation itself puts
        // focus on the page's h1); Enter puts focus on the main content, on the same page.
        var firstFocusable = await page.EvaluateAsync<string>("""
            () => [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
                      .find(e => e.tabIndex >= 0 && !e.disabled)?.className
            """);
        Assert.Equal("skip-link", firstFocusable);
        var skip = page.Locator("a.skip-link");
        await Assertions.Expect(skip).Not.ToBeInViewportAsync();
        await skip.FocusAsync();
        await Assertions.Expect(skip).ToHaveTextAsync("Skip to main content");
        await Assertions.Expect(skip).ToBeInViewportAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("main#main-content")).ToBeFocusedAsync();
        Assert.EndsWith("/patient/vitals", page.Url);

        // The next Tab lands inside the content, on a control with a clearly drawn ring.
        await page.Keyboard.PressAsync("Tab");
        var ring = await page.EvaluateAsync<string[]>("""
            () => { const e = document.activeElement, s = getComputedStyle(e);
                    return [String(!!e.closest('main')), s.outlineStyle, s.outlineWidth, s.outlineColor]; }
            """);
        Assert.Equal(["true", "solid", "3px", "rgb(13, 71, 161)"], ring);

        // Each chart is one image to a screen reader, named by a summary of its readings.
        var chart = page.Locator(".vital-trend-chart[data-measure='HeartRate'] [role='img']");
        await Assertions.Expect(chart).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex(@"^Heart rate trend in bpm: \d+ reading\(s\) from .+; lowest \d+, highest \d+, latest \d+; \d+ outside the normal range \(normal 60–100\)\.$"));

        // Messages: a row opens its thread from the keyboard.
        await page.GotoAsync("/messages");
        await page.WaitForCircuitAsync();
        var row = page.Locator(".message-row").First;
        await row.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator(".thread-subject")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".message-row[aria-current='true']")).ToHaveCountAsync(1);
    }

    async Task CheckAllAsync(IPage page, IEnumerable<PortalPage> pages)
    {
        foreach (var portalPage in pages)
        {
            await page.OpenAsync(portalPage);
            await CheckAsync(page, portalPage.Path);
            await SaveScreenshotAsync(page, portalPage.Path);
        }
    }

    /// <summary>The pages the user guides show (docs/screenshots), by path; the chart is John Doe's.</summary>
    static readonly (Regex Path, string File)[] Screenshots =
    [
        (new("^/doctor$"), "doctor-appointments.png"),
        (new(@"^/doctor/patients/\d+$"), "doctor-patient-chart.png"),
        (new("^/patient$"), "patient-home.png"),
        (new("^/patient/appointments$"), "patient-appointments.png"),
        (new("^/admin$"), "admin-home.png"),
        (new("^/admin/migrations$"), "admin-migrations.png"),
        (new("^/admin/users$"), "admin-users.png"),
    ];

    /// <summary>With <c>SCREENSHOTS_DIR</c> set, saves the loaded page when a user guide shows it (docs/development.md, "Screenshots").</summary>
    static async Task SaveScreenshotAsync(IPage page, string path)
    {
        if (Environment.GetEnvironmentVariable("SCREENSHOTS_DIR") is not { Length: > 0 } dir
            || Screenshots.FirstOrDefault(s => s.Path.IsMatch(path)).File is not { } file)
            return;
        await page.WaitForFunctionAsync("() => !document.querySelector('.mud-progress-linear')");
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, file) });
    }

    /// <summary>Runs axe on the loaded page and notes what fails.</summary>
    async Task CheckAsync(IPage page, string path)
    {
        Assert.Equal(1, await page.Locator("h1").CountAsync());
        Assert.Equal(1, await page.Locator("main").CountAsync());

        var wcag = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. WcagTags] } });
        var structure = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "rule", Values = [.. StructureRules] } });
        var violations = wcag.Violations.Concat(structure.Violations).ToArray();
        int Count(string impact) => violations.Where(v => v.Impact == impact).Sum(v => v.Nodes.Length);
        var summary =
            $"axe {path}: critical {Count("critical")}, serious {Count("serious")}, moderate {Count("moderate")}, minor {Count("minor")}" +
            (violations.Length == 0 ? "" : " — " + string.Join(", ", violations.Select(v => $"{v.Id}({v.Impact}) ×{v.Nodes.Length}")));
        TestContext.Current.SendDiagnosticMessage(summary);
        TestContext.Current.TestOutputHelper?.WriteLine(summary);

        foreach (var violation in violations)
        {
            var excused = violation.Impact == "minor"
                || violation.Impact == "moderate" && ExcusedModerate.ContainsKey(violation.Id);
            if (!excused)
                _failures.Add($"{path}: {violation.Id} ({violation.Impact}) {violation.Help}: " +
                    string.Join(" | ", violation.Nodes.Take(12).Select(n => string.Join(" ", n.Target) + " " + n.Html[..Math.Min(n.Html.Length, 120)])));
        }
    }

    void AssertNoFailures() => Assert.True(_failures.Count == 0, "axe violations:\n" + string.Join("\n", _failures));

    public async ValueTask DisposeAsync() => await _portal.DisposeAsync();
}
