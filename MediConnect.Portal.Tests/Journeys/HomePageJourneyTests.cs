using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Playwright;

namespace MediConnect.Portal.Tests.Journeys;

[Collection(BrowserCollection.Name)]
public sealed class HomePageJourneyTests(BrowserFixture browser, TestDatabase database) : IClassFixture<TestDatabase>, IAsyncDisposable
{
    readonly PortalFactory _portal = new(database.ConnectionString);

    [Fact]
    public async Task HomePageRendersAndItsCircuitAnswersAClick()
    {
        var page = await browser.NewPageAsync(_portal.StartOnKestrel());

        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome to MediConnect Portal" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("dr.smith@mediconnect.demo")).ToBeVisibleAsync();
        await page.WaitForCircuitAsync();
        await page.ClickAsync("#check-db");

        await Assertions.Expect(page.Locator("#db-status")).ToContainTextAsync("Database reachable");
    }

    public ValueTask DisposeAsync() => _portal.DisposeAsync();
}
