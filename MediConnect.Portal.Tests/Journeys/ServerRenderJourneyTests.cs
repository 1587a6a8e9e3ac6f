using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Playwright;

namespace MediConnect.Portal.Tests.Journeys;

/// <summary>
/// A page's first response is rendered on the server, where the layout is plain HTML
/// (ServerRenderedLayout) until MudBlazor's replaces it in the interactive page. Seen in a browser
/// with JavaScript off (the server render and nothing else), it must look like the interactive page:
/// the same app bar, drawer links, badges and heading in the same places, so nothing moves when the
/// page turns interactive; and its links work before any script runs.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ServerRenderJourneyTests(BrowserFixture browser, TestDatabase database) : IClassFixture<TestDatabase>, IAsyncDisposable
{
    static readonly string[] Landmarks =
    [
        "header.mud-appbar", "[aria-label='Menu']", ".portal-title-long", "#portal-nav", ".notifications-bell",
        ".user-menu-name", ".user-menu-role", "[aria-label='Account menu']",
    ];

    readonly PortalFactory _portal = new(database.ConnectionString);

    [Theory]
    [InlineData(SignIn.PatientEmail, SignIn.PatientPassword, "/patient/vitals", "#main-content h1")]
    [InlineData(SignIn.DoctorEmail, SignIn.DoctorPassword, "/doctor", "#today-counts [data-status='completed']")]
    [InlineData(SignIn.AdminEmail, SignIn.AdminPassword, "/admin/users", "#main-content h1")]
    public async Task TheServerRenderedLayoutLooksLikeTheInteractivePage(string email, string password, string path, string pageLandmark)
    {
        var address = _portal.StartOnKestrel();
        var page = await browser.NewPageAsync(address);
        await page.SignInAsync(email, password);
        await page.GotoAsync(path);
        await page.WaitForCircuitAsync();
        var serverRendered = await ServerRenderAsync(page, path);

        // The interactive page loads its badges again once connected.
        var badges = await BadgesAsync(serverRendered);
        await Assertions.Expect(page.Locator(Badges)).ToHaveCountAsync(badges.Count);
        Assert.Equal(badges, await BadgesAsync(page));
        Assert.Equal(await DrawerAsync(page), await DrawerAsync(serverRendered));
        foreach (var selector in (string[])[.. Landmarks, pageLandmark])
        {
            var interactive = await page.Locator(selector).First.BoundingBoxAsync();
            var first = await serverRendered.Locator(selector).First.BoundingBoxAsync();
            Assert.NotNull(interactive);
            Assert.True(first is not null && Near(interactive, first),
                $"{selector} on {path}: interactive {Describe(interactive)}, server-rendered {Describe(first)}");
        }
    }

    [Fact]
    public async Task TheServerRenderedDrawerLinksWorkWithoutScript()
    {
        var address = _portal.StartOnKestrel();
        var page = await browser.NewPageAsync(address);
        await page.SignInAsync(SignIn.DoctorEmail, SignIn.DoctorPassword);
        var serverRendered = await ServerRenderAsync(page, "/doctor");

        await serverRendered.ClickAsync("#portal-nav a[href='/doctor/patients']");

        await serverRendered.WaitForURLAsync("**/doctor/patients");
        await Assertions.Expect(serverRendered.Locator("#portal-nav a[aria-current='page']")).ToHaveAttributeAsync("href", "/doctor/patients");
        await Assertions.Expect(serverRendered.Locator("#main-content h1")).ToHaveTextAsync("My patients");
    }

    /// <summary><paramref name="path"/> as the server sends it, for the user signed in on <paramref name="signedIn"/>: no script runs.</summary>
    async Task<IPage> ServerRenderAsync(IPage signedIn, string path)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = signedIn.Url,
            StorageState = await signedIn.Context.StorageStateAsync(),
            JavaScriptEnabled = false,
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        return page;
    }

    /// <summary>Each drawer link: address, text, and whether it is marked as the current page.</summary>
    static async Task<IReadOnlyList<string>> DrawerAsync(IPage page) =>
        await page.Locator("#portal-nav a").EvaluateAllAsync<string[]>(
            "links => links.map(a => `${a.getAttribute('href')} ${a.innerText.replace(/\\s+/g, ' ').trim()} ${a.getAttribute('aria-current') ?? ''}`)");

    const string Badges = ".notifications-bell .mud-badge, .unread-messages-badge";

    static async Task<IReadOnlyList<string>> BadgesAsync(IPage page) =>
        await page.Locator(Badges).EvaluateAllAsync<string[]>(
            "badges => badges.map(b => `${b.getAttribute('aria-label')}: ${b.innerText.trim()}`)");

    static bool Near(LocatorBoundingBoxResult a, LocatorBoundingBoxResult b) =>
        Math.Abs(a.X - b.X) <= 1 && Math.Abs(a.Y - b.Y) <= 1 && Math.Abs(a.Width - b.Width) <= 1 && Math.Abs(a.Height - b.Height) <= 1;

    static string Describe(LocatorBoundingBoxResult? box) => box is null ? "not shown" : $"({box.X}, {box.Y}) {box.Width}×{box.Height}";

    public ValueTask DisposeAsync() => _portal.DisposeAsync();
}
