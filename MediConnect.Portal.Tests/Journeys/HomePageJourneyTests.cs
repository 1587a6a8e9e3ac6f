using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Playwright;

namespace MediConnect.Portal.Tests.Journeys;

[Collection(BrowserCollection.Name)]
public sealed class HomePageJourneyTests(BrowserFixture browser, TestDatabase database) : IClassFixture<TestDatabase>, IAsyncDisposable
{
    readonly PortalFactory _portal = new(database.ConnectionString);

    [Fact]
    public async Task TheRootOffersSignInThenTheSignedInShellsCircuitAnswersAClick()
    {
        var page = await browser.NewPageAsync(_portal.StartOnKestrel());

        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("dr.smith@mediconnect.demo")).ToBeVisibleAsync(); // demo accounts, in Development
        await page.SignInAsync(SignIn.AdminEmail, SignIn.AdminPassword);

        await page.GetByRole(AriaRole.Button, new() { Name = "Account menu" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Menuitem, new() { Name = "My sessions" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
    }

    public ValueTask DisposeAsync() => _portal.DisposeAsync();
}
