using System.Globalization;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Dates;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Playwright;

namespace MediConnect.Portal.Tests.Journeys;

/// <summary>
/// The portal with the keyboard only: Tab and Shift+Tab pass through every field of every form with a
/// focus ring on each stop, Escape closes every dialog and menu, each role's main pages are a few Tabs
/// from arrival, and each role does its main task without a mouse event.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class KeyboardJourneyTests(BrowserFixture browser, TestDatabase database) : IClassFixture<TestDatabase>, IAsyncDisposable
{
    readonly PortalFactory _portal = new(database.ConnectionString);

    static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    async Task<IPage> SignedInAsync(string email, string password)
    {
        var page = await browser.NewPageAsync(_portal.StartOnKestrel());
        await page.SignInAsync(email, password);
        return page;
    }

    /// <summary>Focuses <paramref name="first"/> and walks <paramref name="scope"/> forward, then backward from the same field.</summary>
    static async Task WalkBothWaysAsync(IPage page, string scope, string first)
    {
        await page.FocusAsync(first);
        await page.WalkAsync(scope);
        await page.FocusAsync(first);
        await page.WalkAsync(scope, backwards: true);
    }

    [Fact]
    public async Task TabAndShiftTabPassThroughEveryFieldOfThePatientsForms()
    {
        var page = await SignedInAsync(SignIn.PatientEmail, SignIn.PatientPassword);

        // Booking: a doctor chosen, a date typed, then Tab (the reported trap) and the whole form both ways.
        await page.GotoAsync("/patient/appointments");
        await page.WaitForCircuitAsync();
        await page.Keyboard.PressAsync("Tab");
        await page.TabToAsync("#book-appointment");
        await page.Keyboard.PressAsync("Enter");
        await page.TabToAsync("#book-doctor");
        await page.ChooseAsync("Dr. Sarah Smith");
        await page.FocusAsync("#book-date");
        await page.Keyboard.TypeAsync(PatientJourneyTests.BookingDay().ToString("MMddyyyy", CultureInfo.InvariantCulture));
        var typed = await page.FocusedAsync();
        var next = await page.PressKeyAsync("Tab");
        Assert.NotEqual(typed.Key, next.Key);
        await WalkBothWaysAsync(page, "#book-appointment-form", "#book-date");
        await WalkBothWaysAsync(page, "#book-appointment-form", "#book-reason");

        // Rescheduling: the same day field in an appointment card.
        var card = page.Locator("#upcoming-appointments .appointment-card").First;
        await card.Locator("button.reschedule-open").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var dayField = card.Locator("input[id^='reschedule-date-']");
        var dayId = await dayField.GetAttributeAsync("id");
        await dayField.FocusAsync();
        await page.Keyboard.TypeAsync(PatientJourneyTests.BookingDay().ToString("MMddyyyy", CultureInfo.InvariantCulture));
        Assert.NotEqual((await page.FocusedAsync()).Key, (await page.PressKeyAsync("Tab")).Key);
        await WalkBothWaysAsync(page, ".reschedule-panel", $"#{dayId}");

        // Recording a reading
        await page.GotoAsync("/patient/vitals");
        await page.WaitForCircuitAsync();
        await page.FocusAsync("#record-reading");
        await page.Keyboard.PressAsync("Enter");
        await WalkBothWaysAsync(page, "#vital-reading-form", "#vital-HeartRate");

        // Writing a message
        await page.GotoAsync("/messages");
        await page.WaitForCircuitAsync();
        await page.FocusAsync("#new-message");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#compose-message")).ToBeVisibleAsync();
        await WalkBothWaysAsync(page, "#compose-message", "#compose-message textarea");

        // Profile
        await page.OpenAsync(new PortalPage("/patient/profile", "My profile", "#save-profile"));
        await WalkBothWaysAsync(page, "main", "#save-profile");

        // Password change (a server-rendered page)
        await page.GotoAsync("/account/password");
        await WalkBothWaysAsync(page, "form", "#current-password");
    }

    [Fact]
    public async Task TabAndShiftTabPassThroughEveryFieldOfTheDoctorsAndAdminsDialogs()
    {
        var johnId = await database.UserIdAsync(SignIn.PatientEmail);
        var doctor = await SignedInAsync(SignIn.DoctorEmail, SignIn.DoctorPassword);
        await doctor.OpenAsync(new PortalPage($"/doctor/patients/{johnId}", "John Doe", "#chart-heading"));

        await doctor.FocusAsync("#chart-prescribe");
        await doctor.Keyboard.PressAsync("Enter");
        await doctor.DialogReadyAsync();
        await WalkBothWaysAsync(doctor, ".mud-dialog", "#rx-medication");
        await doctor.Keyboard.PressAsync("Escape");
        await Assertions.Expect(doctor.Locator(".mud-dialog")).ToHaveCountAsync(0);

        await doctor.FocusAsync("#chart-write-note");
        await doctor.Keyboard.PressAsync("Enter");
        await WalkBothWaysAsync(doctor, ".mud-dialog", "#note-chief-complaint");

        var admin = await browser.NewPageAsync(new Uri(doctor.Url));
        await admin.SignInAsync(SignIn.AdminEmail, SignIn.AdminPassword);
        await admin.OpenAsync(PortalPages.Admin.Single(p => p.Path == "/admin/users"));
        await admin.FocusAsync("#new-user");
        await admin.Keyboard.PressAsync("Enter");
        await Assertions.Expect(admin.Locator(".mud-dialog")).ToBeVisibleAsync();
        await WalkBothWaysAsync(admin, ".mud-dialog", ".mud-dialog input");
    }

    [Fact]
    public async Task EscapeClosesEveryDialogAndMenu()
    {
        var johnId = await database.UserIdAsync(SignIn.PatientEmail);
        var doctor = await SignedInAsync(SignIn.DoctorEmail, SignIn.DoctorPassword);
        await doctor.OpenAsync(new PortalPage($"/doctor/patients/{johnId}", "John Doe", "#chart-heading"));

        foreach (var opener in new[] { "#chart-prescribe", "#chart-write-note" })
        {
            await doctor.FocusAsync(opener);
            await doctor.Keyboard.PressAsync("Enter");
            await doctor.DialogReadyAsync();
            await doctor.Keyboard.PressAsync("Tab");
            await doctor.Keyboard.PressAsync("Escape");
            await Assertions.Expect(doctor.Locator(".mud-dialog")).ToHaveCountAsync(0);
        }
        await EscapeClosesTheAccountMenuAsync(doctor);

        var admin = await browser.NewPageAsync(new Uri(doctor.Url));
        await admin.SignInAsync(SignIn.AdminEmail, SignIn.AdminPassword);
        await admin.OpenAsync(PortalPages.Admin.Single(p => p.Path == "/admin/users"));
        await admin.FocusAsync("#new-user");
        await admin.Keyboard.PressAsync("Enter");
        await admin.DialogReadyAsync();
        await admin.Keyboard.PressAsync("Escape");
        await Assertions.Expect(admin.Locator(".mud-dialog")).ToHaveCountAsync(0);

        // A user's actions menu, then its Edit and Reset password dialogs
        var actions = admin.Locator("#users-table button[aria-label^='Actions for']").First;
        foreach (var item in new[] { "", "Edit", "Reset password" })
        {
            await actions.FocusAsync();
            await admin.Keyboard.PressAsync("Enter");
            await admin.MenuReadyAsync();
            var menu = admin.Locator(".mud-popover-open .mud-menu-item, .mud-popover-open [role=menuitem]");
            if (item == "")
            {
                await admin.Keyboard.PressAsync("Escape");
                await Assertions.Expect(menu).ToHaveCountAsync(0);
                continue;
            }
            await menu.Filter(new() { HasText = item }).First.FocusAsync();
            await admin.Keyboard.PressAsync("Enter");
            await admin.DialogReadyAsync();
            await admin.Keyboard.PressAsync("Escape");
            await Assertions.Expect(admin.Locator(".mud-dialog")).ToHaveCountAsync(0);
        }

        // An audit entry's detail
        await admin.OpenAsync(PortalPages.Admin.Single(p => p.Path == "/admin/audit"));
        await admin.Locator("#audit-table tbody tr").First.ClickAsync();
        await admin.DialogReadyAsync();
        await admin.Keyboard.PressAsync("Escape");
        await Assertions.Expect(admin.Locator(".mud-dialog")).ToHaveCountAsync(0);
        await EscapeClosesTheAccountMenuAsync(admin);
    }

    static async Task EscapeClosesTheAccountMenuAsync(IPage page)
    {
        await page.Locator("button[aria-label='Account menu']").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.MenuReadyAsync();
        var items = page.Locator(".mud-popover-open .mud-menu-item, .mud-popover-open [role=menuitem]");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(items).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task EachRolesMainPagesAreAtMostFourTabsFromArrival()
    {
        var address = _portal.StartOnKestrel();
        var cases = new (string Email, string Password, string Home, string[] MainPages)[]
        {
            (SignIn.PatientEmail, SignIn.PatientPassword, "/patient", ["/patient/appointments", "/messages"]),
            (SignIn.DoctorEmail, SignIn.DoctorPassword, "/doctor", ["/doctor", "/doctor/patients", "/messages"]),
            (SignIn.AdminEmail, SignIn.AdminPassword, "/admin", ["/admin/users", "/admin/audit"]),
        };
        foreach (var (email, password, home, mainPages) in cases)
        {
            var page = await browser.NewPageAsync(address);
            await page.SignInAsync(email, password);
            foreach (var target in mainPages)
            {
                await page.GotoAsync(home);
                await page.WaitForCircuitAsync();
                var tabs = await page.TabToAsync($"#portal-nav a[href='{target}']");
                Assert.True(tabs <= 4, $"{target} took {tabs} Tabs from the arrival on {home} ({email}).");
            }

            // The skip link moves focus into the page itself: the next Tab is in main.
            await page.GotoAsync(home);
            await page.WaitForCircuitAsync();
            Assert.Equal(1, await page.TabToAsync("a.skip-link"));
            await page.Keyboard.PressAsync("Enter");
            await page.Keyboard.PressAsync("Tab");
            Assert.True(await page.EvaluateAsync<bool>("() => !!document.activeElement?.closest('#main-content')"),
                $"After the skip link, Tab went to {(await page.FocusedAsync()).What} ({email}).");
        }
    }

    [Fact]
    public async Task APatientBooksAVisitWithTheKeyboardOnly()
    {
        var page = await browser.NewPageAsync(_portal.StartOnKestrel());
        await page.SignInWithKeysAsync(SignIn.PatientEmail, SignIn.PatientPassword);

        await page.TabToAsync("#portal-nav a[href='/patient/appointments']");
        await page.Keyboard.PressAsync("Enter");
        await page.ArrivedAsync("My appointments");
        await page.TabToAsync("#book-appointment");
        await page.Keyboard.PressAsync("Enter");
        await page.TabToAsync("#book-doctor");
        await page.ChooseAsync("Dr. Sarah Smith");
        await page.TabToAsync("button.next-slot");
        var slot = await page.EvaluateAsync<string[]>("() => [document.activeElement.dataset.date, document.activeElement.dataset.slot]");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator($"button.next-slot[data-date='{slot[0]}'][data-slot='{slot[1]}']")).ToHaveAttributeAsync("aria-pressed", "true");
        await page.TabToAsync("#book-reason", limit: 120);
        await page.Keyboard.TypeAsync("Keyboard-only booking");
        await page.TabToAsync("#book-submit");
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.Locator("#appointments-notice")).ToContainTextAsync("Booked with Dr. Sarah Smith");
        var day = DateOnly.ParseExact(slot[0], "yyyy-MM-dd", CultureInfo.InvariantCulture);
        await Assertions.Expect(page.Locator(".appointment-card", new() { HasText = "Keyboard-only booking" }))
            .ToContainTextAsync(BrowserText.Of(() => DateText.Slot(day.ToDateTime(TimeOnly.ParseExact(slot[1], "HH:mm", CultureInfo.InvariantCulture)))));
    }

    [Fact]
    public async Task ADoctorOpensAPatientsChartAndRecordsANoteWithTheKeyboardOnly()
    {
        var johnId = await database.UserIdAsync(SignIn.PatientEmail);
        var page = await browser.NewPageAsync(_portal.StartOnKestrel());
        await page.SignInWithKeysAsync(SignIn.DoctorEmail, SignIn.DoctorPassword);

        await page.TabToAsync("#portal-nav a[href='/doctor/patients']");
        await page.Keyboard.PressAsync("Enter");
        await page.ArrivedAsync("My patients");
        await page.TabToAsync($"#my-patients a[href='/doctor/patients/{johnId}']", limit: 80);
        await page.Keyboard.PressAsync("Enter");
        // The chart's heading appears once the chart has loaded, after the link's focus move: Tab on from where focus is.
        await Assertions.Expect(page.Locator("#chart-heading")).ToHaveTextAsync("John Doe");
        await page.WaitForFunctionAsync("() => !document.querySelector('.mud-progress-circular, .mud-progress-linear')");
        await page.TabToAsync("#chart-write-note", limit: 80);
        await page.Keyboard.PressAsync("Enter");
        await page.DialogReadyAsync();
        await page.TabToAsync("#note-chief-complaint");
        await page.Keyboard.TypeAsync("Palpitations on exertion");
        await page.TabToAsync("#note-diagnosis");
        await page.Keyboard.TypeAsync("Sinus tachycardia, benign");
        await page.TabToAsync("#note-save");
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
        Assert.Equal(1, await database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM medical_records WHERE patient_id = @johnId AND diagnosis = 'Sinus tachycardia, benign'", new { johnId }));
    }

    [Fact]
    public async Task AnAdminFindsAUserAndChangesTheirPhoneWithTheKeyboardOnly()
    {
        var page = await browser.NewPageAsync(_portal.StartOnKestrel());
        await page.SignInWithKeysAsync(SignIn.AdminEmail, SignIn.AdminPassword);

        await page.TabToAsync("#portal-nav a[href='/admin/users']");
        await page.Keyboard.PressAsync("Enter");
        await page.ArrivedAsync("Users");
        await page.TabToAsync("#user-search");
        await page.Keyboard.TypeAsync("emily");
        await Assertions.Expect(page.Locator("#users-table tbody tr")).ToHaveCountAsync(1);
        await page.TabToAsync("#users-table button[aria-label^='Actions for']");
        await page.Keyboard.PressAsync("Enter");
        await page.MenuReadyAsync();
        for (var i = 0; i < 10 && !await page.EvaluateAsync<bool>("() => document.activeElement?.textContent?.trim() === 'Edit'"); i++)
            await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("Enter");
        await page.DialogReadyAsync();
        await page.TabToAsync("#user-phone");
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("555-0142");
        await page.TabToAsync("#save-user");
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
        Assert.Equal("555-0142", await database.DataSource.QueryOneAsync<string>(
            "SELECT phone FROM users WHERE email = 'emily.johnson@mediconnect.demo'"));
    }

    public async ValueTask DisposeAsync() => await _portal.DisposeAsync();
}
