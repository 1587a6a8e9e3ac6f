using MediConnect.Portal.Tests.Fixtures;

namespace MediConnect.Portal.Tests.Journeys;

/// <summary>
/// A normal session of each role writes no Error line to the portal's log: an operator's real
/// errors must not drown in noise (once, every interactive render logged MudBlazor's
/// "Missing &lt;MudPopoverProvider /&gt;" at ERR).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CleanLogJourneyTests(BrowserFixture browser, TestDatabase database) : IClassFixture<TestDatabase>, IAsyncDisposable
{
    readonly PortalLog _log = new();
    PortalFactory? _portal;

    PortalFactory Portal => _portal ??= new PortalFactory(database.ConnectionString, services: _log.AddTo);

    [Fact]
    public async Task EveryPageOfEveryRoleOpensWithoutAnErrorLine()
    {
        var address = Portal.StartOnKestrel();
        foreach (var (email, password, pages) in new[]
        {
            (SignIn.PatientEmail, SignIn.PatientPassword, [.. await PortalPages.PatientAsync(database), .. PortalPages.Account]),
            (SignIn.DoctorEmail, SignIn.DoctorPassword, await PortalPages.DoctorAsync(database)),
            (SignIn.AdminEmail, SignIn.AdminPassword, PortalPages.Admin),
        })
        {
            var page = await browser.NewPageAsync(address);
            await page.SignInAsync(email, password);
            foreach (var portalPage in pages)
                await page.OpenAsync(portalPage);
            await page.Context.CloseAsync();
        }

        Assert.Empty(_log.Errors);
    }

    public async ValueTask DisposeAsync()
    {
        if (_portal is not null)
            await _portal.DisposeAsync();
    }
}
