using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Playwright;

namespace MediConnect.Portal.Tests.Journeys;

/// <summary>
/// The portal on a phone (390×844): every page of every role fits the screen without sideways
/// scrolling, the drawer is an overlay that opens from the menu button and closes after a link, and
/// a patient does the main jobs (record a reading, book, read and answer a message, see
/// prescriptions) at that size.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PhoneJourneyTests(BrowserFixture browser, TestDatabase database) : IClassFixture<TestDatabase>, IAsyncDisposable
{
    readonly PortalFactory _portal = new(database.ConnectionString);

    [Fact]
    public async Task EveryPageOfEveryRoleFitsAPhoneScreenWithoutScrollingSidewaysOrALabelSplitInsideAWord()
    {
        var address = _portal.StartOnKestrel();
        var overflowing = new List<string>();

        var visitor = await browser.NewPhonePageAsync(address);
        await CheckAllAsync(visitor, PortalPages.SignedOut, overflowing);

        var patient = await browser.NewPhonePageAsync(address);
        await patient.SignInAsync(SignIn.PatientEmail, SignIn.PatientPassword);
        await CheckAllAsync(patient, await PortalPages.PatientAsync(database), overflowing);
        await CheckAllAsync(patient, PortalPages.Account, overflowing);

        var doctor = await browser.NewPhonePageAsync(address);
        await doctor.SignInAsync(SignIn.DoctorEmail, SignIn.DoctorPassword);
        await CheckAllAsync(doctor, await PortalPages.DoctorAsync(database), overflowing);

        var admin = await browser.NewPhonePageAsync(address);
        await admin.SignInAsync(SignIn.AdminEmail, SignIn.AdminPassword);
        await CheckAllAsync(admin, PortalPages.Admin, overflowing);

        Assert.True(overflowing.Count == 0, "Pages wider than a 390 px phone:\n" + string.Join("\n", overflowing));
        Assert.True(_split.Count == 0, "Labels split inside a word on a 390 px phone:\n" + string.Join("\n", _split));
    }

    readonly List<string> _split = [];

    [Fact]
    public async Task OnAPhoneTheDrawerOpensFromTheMenuButtonAndClosesAfterALink()
    {
        var address = _portal.StartOnKestrel();
        var page = await browser.NewPhonePageAsync(address);
        await page.SignInAsync(SignIn.PatientEmail, SignIn.PatientPassword);
        var drawer = page.Locator(".mud-drawer");
        var menu = page.GetByRole(AriaRole.Button, new() { Name = "Menu", Exact = true });

        // Closed on arrival: the page has the whole width.
        await Assertions.Expect(page.Locator("#portal-nav")).Not.ToBeInViewportAsync();
        await Assertions.Expect(menu).ToHaveAttributeAsync("aria-expanded", "false");
        await Assertions.Expect(page.Locator(".portal-title-long")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("[aria-label='Notifications']").First).ToBeInViewportAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Account menu" }).First).ToBeInViewportAsync();

        // The menu button opens it over the page; a link navigates and closes it.
        await menu.ClickAsync();
        await Assertions.Expect(drawer).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-drawer--open"));
        await Assertions.Expect(drawer).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-drawer--temporary|mud-drawer-responsive"));
        await Assertions.Expect(page.Locator("#portal-nav")).ToBeInViewportAsync();
        await page.Locator("#portal-nav").GetByRole(AriaRole.Link, new() { Name = "Prescriptions" }).ClickAsync();
        await page.WaitForURLAsync("**/patient/prescriptions");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My prescriptions" })).ToBeVisibleAsync();
        await Assertions.Expect(drawer).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-drawer--open"));
        await Assertions.Expect(page.Locator("#portal-nav")).Not.ToBeInViewportAsync();
        await Assertions.Expect(menu).ToHaveAttributeAsync("aria-expanded", "false");

        // On a desktop screen it stays open beside the page, and the full title shows.
        var desktop = await browser.NewPageAsync(address);
        await desktop.SignInAsync(SignIn.PatientEmail, SignIn.PatientPassword);
        await Assertions.Expect(desktop.Locator("#portal-nav")).ToBeInViewportAsync();
        await Assertions.Expect(desktop.Locator(".portal-title-long")).ToBeVisibleAsync();
        await desktop.Locator("#portal-nav").GetByRole(AriaRole.Link, new() { Name = "Prescriptions" }).ClickAsync();
        await desktop.WaitForURLAsync("**/patient/prescriptions");
        await Assertions.Expect(desktop.GetByRole(AriaRole.Heading, new() { Name = "My prescriptions" })).ToBeVisibleAsync();
        await Assertions.Expect(desktop.Locator("#portal-nav")).ToBeInViewportAsync();
    }

    [Fact]
    public async Task OnAPhoneJohnRecordsAReadingBooksAVisitWritesToDrSmithAndSeesHisPrescriptions()
    {
        var page = await browser.NewPhonePageAsync(_portal.StartOnKestrel());
        await page.SignInAsync(SignIn.PatientEmail, SignIn.PatientPassword);

        // Record a reading, book and move a visit, write a message: the desktop journey, at phone size,
        // with every button it presses on the screen.
        await PatientJourneyTests.JohnsPartAsync(page);

        // Read a message from Dr. Smith and answer it.
        await page.GotoAsync("/messages");
        await page.WaitForCircuitAsync();
        var fromSmith = page.Locator(".message-row", new() { HasText = "Dr. Sarah Smith" }).First;
        await fromSmith.ClickAsync();
        await Assertions.Expect(page.Locator(".thread-subject")).ToBeInViewportAsync();
        var subject = await page.Locator(".thread-subject").InnerTextAsync();
        await page.Locator("#reply").ClickAsync();
        await Assertions.Expect(page.Locator("#compose-subject")).ToHaveValueAsync($"RE: {subject}");
        await page.FillAsync("#compose-body", "Thank you, I will bring my readings.");
        await page.Locator("#send-message").ClickAsync();
        await Assertions.Expect(page.Locator("#messages-notice")).ToContainTextAsync("Message sent.");
        await Assertions.Expect(page.Locator("#message-thread")).ToContainTextAsync("Thank you, I will bring my readings.");
        await AssertFitsAsync(page);

        // His prescriptions: the current ones as cards, the history as cards with labelled values.
        await page.GotoAsync("/patient/prescriptions");
        await page.WaitForCircuitAsync();
        await Assertions.Expect(page.Locator(".prescription-card").First).ToBeInViewportAsync();
        var firstHistoryRow = page.Locator("#prescription-history tbody tr").First;
        await Assertions.Expect(firstHistoryRow.Locator("td[data-label='Medication']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#prescription-history thead")).ToBeHiddenAsync();
        await AssertFitsAsync(page);
    }

    [Fact]
    public async Task OnAPhoneDrSmithsPrescribingFormFillsTheScreen()
    {
        var page = await browser.NewPhonePageAsync(_portal.StartOnKestrel());
        await page.SignInAsync(SignIn.DoctorEmail, SignIn.DoctorPassword);
        var johnId = await database.UserIdAsync(SignIn.PatientEmail);
        await page.GotoAsync($"/doctor/patients/{johnId}");
        await page.WaitForCircuitAsync();

        await page.Locator("#chart-prescribe").ClickAsync();
        var dialog = page.Locator(".mud-dialog", new() { Has = page.Locator("#rx-medication") });
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        // The dialog grows into place (MudBlazor's opening animation): wait for where it settles.
        var screen = new[] { 0, 0, BrowserFixture.Phone.Width, BrowserFixture.Phone.Height };
        try
        {
            await dialog.EvaluateAsync("""
                (element, screen) => new Promise(resolve => {
                    const settled = () => {
                        const box = element.getBoundingClientRect();
                        const edges = [box.x, box.y, box.width, box.height].map(Math.round);
                        edges.every((edge, i) => edge === screen[i]) ? resolve() : requestAnimationFrame(settled);
                    };
                    settled();
                })
                """, screen).WaitAsync(TimeSpan.FromSeconds(15));
        }
        catch (TimeoutException)
        {
            var box = (await dialog.BoundingBoxAsync())!;
            Assert.Fail($"The prescribing dialog settled at {box.X},{box.Y} {box.Width}×{box.Height}, not the whole {screen[2]}×{screen[3]} screen");
        }
        await Assertions.Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Close" })).ToBeInViewportAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
    }

    async Task CheckAllAsync(IPage page, IEnumerable<PortalPage> pages, List<string> overflowing)
    {
        foreach (var portalPage in pages)
        {
            await page.OpenAsync(portalPage);
            if (await OverflowAsync(page) is { } overflow)
                overflowing.Add($"{portalPage.Path}: {overflow}");
            _split.AddRange((await SplitLabelsAsync(page)).Select(label => $"{portalPage.Path}: {label}"));
        }
    }

    static async Task AssertFitsAsync(IPage page)
    {
        var overflow = await OverflowAsync(page);
        Assert.True(overflow is null, $"{new Uri(page.Url).AbsolutePath}: {overflow}");
    }

    /// <summary>
    /// Null when the page is no wider than the phone's screen; otherwise its width and the outermost
    /// elements that reach past the right edge, to find the culprit. The screen is the viewport the
    /// page was given: a mobile browser zooms out to show a too-wide page, which widens innerWidth
    /// with it.
    /// </summary>
    static async Task<string?> OverflowAsync(IPage page) => await page.EvaluateAsync<string?>("""
        phone => {
            const width = document.documentElement.scrollWidth;
            let screen = phone;
            if (window.innerWidth < screen) screen = window.innerWidth;
            if (width <= screen) return null;
            const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
                [...e.classList].slice(0, 3).map(c => '.' + c).join('');
            const wide = [...document.body.querySelectorAll('*')]
                .filter(e => e.getBoundingClientRect().right > screen + 1)
                .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= screen + 1)
                .slice(0, 5).map(e => `${name(e)} (right edge ${Math.round(e.getBoundingClientRect().right)})`);
            return `${width} px wide at ${screen}; sticking out: ${wide.join(', ')}`;
        }
        """, page.ViewportSize!.Width);

    /// <summary>
    /// Labels (a key-value table's first column, headers, chips, buttons, tabs, field labels) whose words the
    /// browser broke across lines: each word's rendered boxes (Range.getClientRects) must sit on one line.
    /// Labels drawn by CSS (<c>data-label</c> on a table cell) have no text node to measure: their wrapping
    /// rule must not allow a break inside a word.
    /// </summary>
    static async Task<IReadOnlyList<string>> SplitLabelsAsync(IPage page) => await page.EvaluateAsync<string[]>("""
        () => {
            const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + [...e.classList].slice(0, 2).map(c => '.' + c).join('');
            const split = [];
            const labels = document.querySelectorAll('main .mud-simple-table td:first-child, main th, main label, main .mud-chip-content, '
                + 'main .mud-button-label, main .mud-tab, main .mud-input-label');
            for (const element of labels) {
                const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    for (const word of node.textContent.matchAll(/\p{L}{2,}/gu)) {
                        const range = document.createRange();
                        range.setStart(node, word.index);
                        range.setEnd(node, word.index + word[0].length);
                        const tops = [...range.getClientRects()].filter(r => r.width > 0).map(r => r.top);
                        if (tops.length > 1 && Math.max(...tops) - Math.min(...tops) > 4)
                            split.push(`"${word[0]}" in ${name(element)}`);
                    }
                }
            }
            for (const element of document.querySelectorAll('main [data-label]')) {
                const before = getComputedStyle(element, '::before');
                if (before.display === 'none' || !before.content || before.content === 'none' || before.content === 'normal')
                    continue;
                if (before.overflowWrap === 'anywhere' || before.wordBreak === 'break-all')
                    split.push(`the label "${element.dataset.label}" of ${name(element)} may break inside a word (overflow-wrap: ${before.overflowWrap})`);
            }
            return [...new Set(split)].slice(0, 10);
        }
        """);

    public ValueTask DisposeAsync() => _portal.DisposeAsync();
}
