using Bunit;
using MediConnect.Portal.Features.Account.ConnectedApps;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace MediConnect.Portal.Tests.Features.Account.ConnectedApps;

public sealed class ConnectedAppsPageTests : DatabaseComponentTest, IClassFixture<TestDatabase>
{
    public ConnectedAppsPageTests(TestDatabase database) : base(database) { }

    static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task AUserCreatesATokenSeesItOnceAndRevokesIt()
    {
        await SignInAsync("james.taylor@mediconnect.demo");
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<ConnectedAppsPage>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#no-tokens")), Wait);

        page.Find("#token-name").Change("Glucose diary");
        await page.Find("#create-token").ClickAsync(new());

        var token = page.WaitForElement("#new-token-value", Wait).GetAttribute("value")!;
        Assert.StartsWith("mcp_", token);
        page.WaitForAssertion(() => Assert.Contains("Glucose diary", page.Find("#token-table").TextContent), Wait);
        Assert.Contains("patient/*.read", page.Find("#token-table").TextContent);
        Assert.Contains("/fhir/r4", page.Find("#fhir-base").TextContent);

        // Another visit of the page lists the token but never shows it again.
        var again = Render<ConnectedAppsPage>();
        again.WaitForAssertion(() => Assert.Contains("Glucose diary", again.Find("#token-table").TextContent), Wait);
        Assert.DoesNotContain(token, again.Markup);

        // The click waits for the confirmation, so it is answered before the click is awaited.
        var revoke = again.Find("#token-table button").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Contains("stop working", dialogs.Markup), Wait);
        await dialogs.FindAll("button").Single(b => b.TextContent.Contains("Revoke")).ClickAsync(new());
        await revoke;
        again.WaitForAssertion(() => Assert.Contains("Revoked", again.Find("#token-table").TextContent), Wait);
    }

    [Fact]
    public async Task ANameIsRequired()
    {
        await SignInAsync(Demo.Chen);
        Render<MudPopoverProvider>();
        var page = Render<ConnectedAppsPage>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#create-token")), Wait);

        await page.Find("#create-token").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("Name the app", page.Markup), Wait);
        Assert.Empty(page.FindAll("#new-token-value"));
        // A doctor grants only user/… access: no choice of their "own record".
        Assert.Empty(page.FindAll("#scope-patient"));
    }
}
