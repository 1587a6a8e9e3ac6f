using System.Text.RegularExpressions;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Doctor.Flags;
using MediConnect.Portal.Features.Shared.Dates;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Playwright;
using static MediConnect.Portal.Tests.Features.Doctor.DoctorWorkspace;

namespace MediConnect.Portal.Tests.Journeys;

/// <summary>
/// Dr. Smith's day: she signs in and lands on Today, completes the 15:00 visit and it stays in Today
/// as completed, sees John Doe's critical reading (HR 150, BP 182/121) flagged in the appointment
/// list and his chart header, acknowledges it there, and the flag then names her and when. On a phone
/// Today comes first and the list's filters fold away. With <c>SCREENSHOTS_DIR</c> set, the journeys save
/// <c>doctor-today.png</c>, <c>doctor-today-phone.png</c> and <c>doctor-chart-flags.png</c> there.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TodayJourneyTests(BrowserFixture browser, TestDatabase database) : IClassFixture<TestDatabase>, IAsyncDisposable
{
    readonly PortalFactory _portal = new(database.ConnectionString);

    [Fact]
    public async Task DrSmithLandsOnTodayCompletesTheAfternoonVisitAndAcknowledgesJohnsCriticalReading()
    {
        var address = _portal.StartOnKestrel();
        // John Doe's critical reading, the example of the issue: sent by his monitor just now.
        var reading = await InsertReadingAsync(database, 150, "182/121");
        var page = await browser.NewPageAsync(address);
        await page.SetViewportSizeAsync(1280, 900);

        // She lands on Today: every visit of her day, the next one to do marked.
        await page.SignInAsync(SignIn.DoctorEmail, SignIn.DoctorPassword);
        Assert.Equal("/doctor", new Uri(page.Url).AbsolutePath);
        var today = page.Locator("#today-visits");
        await Assertions.Expect(today.Locator(".today-next .next-marker")).ToHaveTextAsync("Next");
        await Assertions.Expect(today.Locator(".today-next .next-open")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#filters-toggle")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#status-filter")).ToBeVisibleAsync();
        await Assertions.Expect(today.Locator(".patient-flags").First).ToBeVisibleAsync();
        await SaveScreenshotAsync(page, "doctor-today.png");

        // She completes the 15:00 visit: it stays in Today, as completed.
        var afternoon = today.Locator(".today-visit", new() { HasText = BrowserText.Of(() => DateText.Time(new TimeOnly(15, 0))) });
        await Assertions.Expect(afternoon).ToContainTextAsync("Maria Rodriguez");
        await afternoon.Locator("button[data-action='confirmed']").ClickAsync();
        await Assertions.Expect(afternoon.Locator(".status-chip")).ToHaveTextAsync("Confirmed");
        await afternoon.Locator("button[data-action='in_progress']").ClickAsync();
        await Assertions.Expect(afternoon.Locator(".status-chip")).ToHaveTextAsync("In progress");
        await afternoon.Locator("button[data-action='completed']").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Complete" }).ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Later" }).ClickAsync();
        await Assertions.Expect(afternoon.Locator(".status-chip")).ToHaveTextAsync("Completed");

        var completedChip = page.Locator("#today-counts [data-status='completed']");
        await completedChip.ClickAsync();
        await Assertions.Expect(completedChip).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(today.Locator(".today-visit")).ToHaveCountAsync(1);
        await Assertions.Expect(today.Locator(".today-visit")).ToContainTextAsync("Maria Rodriguez");

        // John's critical reading is flagged on his row of the appointment list ...
        var johnsRow = page.Locator("#appointment-table tr", new() { HasText = "Blood pressure and lipid follow-up" });
        await Assertions.Expect(johnsRow.Locator(".flag-critical")).ToContainTextAsync("Critical: HR 150, BP 182/121");

        // ... and in his chart's header, where she acknowledges it.
        await johnsRow.GetByRole(AriaRole.Link, new() { Name = "John Doe" }).ClickAsync();
        await Assertions.Expect(page.Locator("#chart-heading")).ToHaveTextAsync("John Doe");
        var flags = page.Locator("#chart-flags");
        await Assertions.Expect(flags.Locator(".flag-critical")).ToContainTextAsync("Critical: HR 150, BP 182/121");
        await Assertions.Expect(flags.Locator(".flag-allergies")).ToContainTextAsync("Penicillin");
        await page.WaitForCircuitAsync();
        await SaveScreenshotAsync(page, "doctor-chart-flags.png");
        await flags.Locator("button[data-action='acknowledge']").ClickAsync();

        await Assertions.Expect(flags.Locator(".flag-acknowledged"))
            .ToHaveTextAsync(new Regex(@"^\s*HR 150, BP 182/121 acknowledged by Dr\. Sarah Smith, [A-Z][a-z]{2} \d{1,2}, \d{1,2}:\d{2}\s?[AP]M\s*$"));
        await Assertions.Expect(flags.Locator(".flag-critical")).ToHaveCountAsync(0);
        Assert.Equal(1, await database.DataSource.QueryOneAsync<long>(
            """
            SELECT count(*) FROM audit_log a JOIN users u ON u.id = a.user_id
            WHERE u.email = @email AND a.action = @action AND a.entity_id = @reading
            """, new { email = SignIn.DoctorEmail, action = ClinicalFlags.AcknowledgeAction, reading = reading.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
    }

    [Fact]
    public async Task OnAPhoneTodayComesFirstAndTheFiltersFoldAway()
    {
        var page = await browser.NewPhonePageAsync(_portal.StartOnKestrel());
        await page.SignInAsync(SignIn.DoctorEmail, SignIn.DoctorPassword);

        await Assertions.Expect(page.Locator("#today-visits .today-visit").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#today-heading")).ToBeInViewportAsync();
        var toggle = page.Locator("#filters-toggle");
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
        await Assertions.Expect(page.Locator("#appointment-filters")).ToBeHiddenAsync();
        var todayTop = (await page.Locator("#today").BoundingBoxAsync())!.Y;
        Assert.True(todayTop < (await toggle.BoundingBoxAsync())!.Y, "Today comes before the list and its filters");
        await Assertions.Expect(page.Locator("#today-visits .patient-flags").First).ToBeVisibleAsync();
        await SaveScreenshotAsync(page, "doctor-today-phone.png");

        await toggle.ClickAsync();
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
        await Assertions.Expect(page.Locator("#status-filter")).ToBeVisibleAsync();
    }

    /// <summary>With <c>SCREENSHOTS_DIR</c> set, saves the page as the user guide shows it (docs/development.md, "Screenshots").</summary>
    static async Task SaveScreenshotAsync(IPage page, string file)
    {
        if (Environment.GetEnvironmentVariable("SCREENSHOTS_DIR") is not { Length: > 0 } dir)
            return;
        await page.WaitForFunctionAsync("() => !document.querySelector('.mud-progress-linear')");
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, file) });
    }

    public ValueTask DisposeAsync() => _portal.DisposeAsync();
}
