using System.Text.RegularExpressions;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MediConnect.Portal.Tests.Journeys;

/// <summary>
/// A list's view (scope, filters, sort, page, agenda week, vitals period) is in the URL: a reload,
/// Back/Forward and a link opened by someone else after signing in show the same view.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ViewInUrlJourneyTests(BrowserFixture browser, TestDatabase database) : IClassFixture<TestDatabase>, IAsyncDisposable
{
    readonly PortalFactory _portal = new(database.ConnectionString);

    static Regex Has(string parameter) => new($"[?&]{Regex.Escape(parameter)}(&|$)");

    static ILocator Rows(IPage page) => page.Locator("#appointment-table tbody tr.mud-table-row");

    /// <summary>True once the rows on screen are in patient-name order (the sorted page has arrived).</summary>
    const string PatientsInOrder = """
        () => {
            const names = [...document.querySelectorAll('#appointment-table tbody tr.mud-table-row td[data-label="Patient"]')].map(td => td.textContent.trim());
            return names.length > 1 && names.every((n, i) => i === 0 || names[i - 1] <= n) && names[0] !== names[names.length - 1];
        }
        """;

    [Fact]
    public async Task DrSmithsFilterSortPageAndAgendaWeekSurviveReloadAndBackForward()
    {
        var page = await browser.NewPageAsync(_portal.StartOnKestrel());
        await page.SignInAsync(SignIn.DoctorEmail, SignIn.DoctorPassword);
        await page.GotoAsync("/doctor?scope=all&size=10");
        await page.WaitForCircuitAsync();
        await Expect(Rows(page)).ToHaveCountAsync(10);

        // Sort by patient, then the second page: each a step in the history.
        await page.Locator("#appointment-table .mud-table-sort-label", new() { HasText = "Patient" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(Has("sort=patient"));
        await page.WaitForFunctionAsync(PatientsInOrder);
        var firstPage = await Rows(page).First.TextContentAsync();
        await page.Locator("#appointment-table .mud-table-pagination-next-button").ClickAsync();
        await Expect(page).ToHaveURLAsync(Has("page=2"));
        await Expect(Rows(page).First).Not.ToHaveTextAsync(firstPage!);
        var secondPage = await Rows(page).First.TextContentAsync();

        // A status filter starts again at the first page.
        await page.ClickAsync("#status-filter [data-status='completed']");
        await Expect(page).ToHaveURLAsync(Has("status=completed"));
        await Expect(page).Not.ToHaveURLAsync(Has("page=2"));
        await Expect(Rows(page).Locator(".status-chip").First).ToHaveTextAsync("Completed");

        // A reload keeps the whole view.
        await page.ReloadAsync();
        await page.WaitForCircuitAsync();
        await Expect(page).ToHaveURLAsync(Has("status=completed"));
        await Expect(page.Locator("#status-filter [data-status='completed']")).ToHaveClassAsync(new Regex("mud-chip-filled"));
        await Expect(page.Locator("#scope-filter [data-scope='All']")).ToHaveClassAsync(new Regex("mud-button-filled"));
        await Expect(Rows(page).Locator(".status-chip").Filter(new() { HasNotText = "Completed" })).ToHaveCountAsync(0);

        // Back: the second page sorted by patient, without the filter; Back again: the first page; Forward: the second.
        await page.GoBackAsync();
        await Expect(page).ToHaveURLAsync(Has("page=2"));
        await Expect(Rows(page).First).ToHaveTextAsync(secondPage!);
        await page.GoBackAsync();
        await Expect(page).Not.ToHaveURLAsync(Has("page=2"));
        await Expect(Rows(page).First).ToHaveTextAsync(firstPage!);
        await page.GoForwardAsync();
        await Expect(Rows(page).First).ToHaveTextAsync(secondPage!);

        // The agenda, a week ahead: reload keeps that week; Back returns to this week, then to the list.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Agenda" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(Has("view=agenda"));
        var thisWeek = await page.Locator("#agenda-range").TextContentAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Next week" }).ClickAsync();
        await Expect(page.Locator("#agenda-range")).Not.ToHaveTextAsync(thisWeek!);
        var nextWeek = await page.Locator("#agenda-range").TextContentAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"[?&]date=\d{4}-\d{2}-\d{2}"));
        await page.ReloadAsync();
        await page.WaitForCircuitAsync();
        await Expect(page.Locator("#agenda-range")).ToHaveTextAsync(nextWeek!);
        await page.GoBackAsync();
        await Expect(page.Locator("#agenda-range")).ToHaveTextAsync(thisWeek!);
        await page.GoBackAsync();
        await Expect(page).Not.ToHaveURLAsync(Has("view=agenda"));
        await Expect(Rows(page).First).ToHaveTextAsync(secondPage!);
    }

    [Fact]
    public async Task JohnsVitalsPeriodSurvivesReloadAndBack()
    {
        var page = await browser.NewPageAsync(_portal.StartOnKestrel());
        await page.SignInAsync(SignIn.PatientEmail, SignIn.PatientPassword);
        await page.GotoAsync("/patient/vitals");
        await page.WaitForCircuitAsync();
        await Expect(page.Locator("#period-30")).ToHaveClassAsync(new Regex("mud-button-filled"));

        await page.ClickAsync("#period-90");
        await Expect(page).ToHaveURLAsync(Has("days=90"));
        await page.ClickAsync("#period-7");
        await Expect(page).ToHaveURLAsync(Has("days=7"));

        await page.ReloadAsync();
        await page.WaitForCircuitAsync();
        await Expect(page.Locator("#period-7")).ToHaveClassAsync(new Regex("mud-button-filled"));
        await page.GoBackAsync();
        await Expect(page.Locator("#period-90")).ToHaveClassAsync(new Regex("mud-button-filled"));
        await page.GoBackAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/patient/vitals$"));
        await Expect(page.Locator("#period-30")).ToHaveClassAsync(new Regex("mud-button-filled"));
    }

    [Fact]
    public async Task ASharedLinkOpensItsViewAfterSignInAndNeverShowsMoreThanTheUserMaySee()
    {
        var baseAddress = _portal.StartOnKestrel();
        const string Link = "/doctor?scope=past&status=completed&patient=john";

        // A colleague's browser, nobody signed in: the login page keeps the whole link to return to.
        var page = await browser.NewPageAsync(baseAddress);
        await page.GotoAsync(Link);
        await Expect(page).ToHaveURLAsync(new Regex("/account/login"));
        await page.FillAsync("#email", SignIn.DoctorEmail);
        await page.FillAsync("#password", SignIn.DoctorPassword);
        await page.Keyboard.PressAsync("Enter"); // submits the form
        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(Link) + "$"), new() { Timeout = 30_000 });
        await page.WaitForCircuitAsync();
        await Expect(page.Locator("#scope-filter [data-scope='Past']")).ToHaveClassAsync(new Regex("mud-button-filled"));
        await Expect(page.Locator("#patient-filter")).ToHaveValueAsync("john");
        await Expect(Rows(page).First).ToContainTextAsync("John Doe");
        await Expect(Rows(page).Locator(".status-chip").Filter(new() { HasNotText = "Completed" })).ToHaveCountAsync(0);

        // The same link in Dr. Patel's browser shows only his own book: John is not his patient ("john" still finds Emily Johnson).
        var patel = await browser.NewPageAsync(baseAddress);
        await patel.SignInAsync("dr.patel@mediconnect.demo", SignIn.DoctorPassword);
        await patel.GotoAsync(Link);
        await patel.WaitForCircuitAsync();
        await Expect(patel.Locator("#patient-filter")).ToHaveValueAsync("john");
        await Expect(Rows(patel).First).ToContainTextAsync("Emily Johnson");
        await Expect(Rows(patel).Filter(new() { HasText = "John Doe" })).ToHaveCountAsync(0);
    }

    public ValueTask DisposeAsync() => _portal.DisposeAsync();
}
