using System.Globalization;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Account;
using MediConnect.Portal.Features.Admin.Users;
using MediConnect.Portal.Features.Shared.Live;
using MediConnect.Portal.Features.Shared.Messages;
using MediConnect.Portal.Features.Shared.Notifications;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;
using Npgsql;

namespace MediConnect.Portal.Tests.Journeys;

/// <summary>
/// Two portal instances, A and B, each with its own listener, on one database: what one person does
/// through A shows on another's open page on B (and the other way round) without a reload. No
/// page polls, so only the live updates can make these pass; the delays are measured and written
/// to the test output, never asserted.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveJourneyTests(BrowserFixture browser, LiveJourneyTests.TwoPortals portals) : IClassFixture<LiveJourneyTests.TwoPortals>
{
    const string ExtraMigration = "900_live_journey.sql";

    /// <summary>A and B on the class's database and on a copy of the migrations with one pending file.</summary>
    public sealed class TwoPortals : IAsyncLifetime
    {
        readonly string _migrations = Directory.CreateTempSubdirectory("live-journey-migrations-").FullName;

        public TestDatabase Database { get; } = new();
        public PortalFactory A { get; private set; } = null!;
        public PortalFactory B { get; private set; } = null!;
        public Uri AddressA { get; private set; } = null!;
        public Uri AddressB { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            await Database.InitializeAsync();
            foreach (var file in Directory.GetFiles(PostgresServer.MigrationsFolder, "*.sql"))
                File.Copy(file, Path.Combine(_migrations, Path.GetFileName(file)));
            await File.WriteAllTextAsync(Path.Combine(_migrations, ExtraMigration), "CREATE TABLE live_journey_extra (id int);\n");
            var settings = new Dictionary<string, string?> { ["MIGRATIONS_DIR"] = _migrations };
            // Pages would otherwise re-read their session every 5 seconds: only the live event may send a deactivated user away here.
            Action<IServiceCollection> noSessionPolling = services => services.Replace(ServiceDescriptor.Singleton(provider =>
                SignInSettings.From(provider.GetRequiredService<IConfiguration>(), provider.GetRequiredService<IHostEnvironment>()) with { SessionCheckInterval = TimeSpan.FromHours(1) }));
            (A, B) = (new PortalFactory(Database.ConnectionString, settings, noSessionPolling), new PortalFactory(Database.ConnectionString, settings, noSessionPolling));
            (AddressA, AddressB) = (A.StartOnKestrel(), B.StartOnKestrel());
            foreach (var portal in new[] { A, B })
                await Wait.UntilAsync(() => portal.Services.GetRequiredService<LiveEventHub>().State == LiveListenerState.Listening, "both instances to listen");
        }

        public async ValueTask DisposeAsync()
        {
            await A.DisposeAsync();
            await B.DisposeAsync();
            await Database.DisposeAsync();
            Directory.Delete(_migrations, recursive: true);
        }
    }

    static DateOnly BookingDay() => PatientJourneyTests.BookingDay().AddDays(7);

    async Task<IPage> SignedInAsync(Uri instance, string email, string password, string path)
    {
        var page = await browser.NewPageAsync(instance);
        await page.SignInAsync(email, password);
        await page.GotoAsync(path);
        await page.WaitForCircuitAsync();
        return page;
    }

    static void Report(string line) => TestContext.Current.SendDiagnosticMessage(line);

    /// <summary>Records, in the page, when the first element matching <paramref name="selector"/> and containing <paramref name="text"/> appears.</summary>
    static Task WatchForAsync(IPage page, string selector, string text) => page.EvaluateAsync("""
        ([selector, text]) => {
            window.__liveSeenAt = undefined;
            const seen = () => [...document.querySelectorAll(selector)].some(e => e.textContent.includes(text));
            new MutationObserver((_, observer) => {
                if (window.__liveSeenAt === undefined && seen()) { window.__liveSeenAt = Date.now(); observer.disconnect(); }
            }).observe(document.body, { subtree: true, childList: true, characterData: true });
        }
        """, new[] { selector, text });

    static async Task<double> SeenAtAsync(IPage page) => await page.EvaluateAsync<double>("() => window.__liveSeenAt");

    [Fact]
    public async Task ABookingThroughOneInstanceAppearsOnTheDoctorsPageOnTheOtherAndHerConfirmationOnThePatientsPage()
    {
        const string reason = "Short of breath on the stairs, booked live";
        var smith = await SignedInAsync(portals.AddressB, SignIn.DoctorEmail, SignIn.DoctorPassword, "/doctor");
        await smith.FillAsync("#patient-filter", "John Doe");
        await Assertions.Expect(smith.Locator("#appointment-table")).ToContainTextAsync("John Doe");
        var john = await SignedInAsync(portals.AddressA, SignIn.PatientEmail, SignIn.PatientPassword, "/patient/appointments");

        // John books through A ...
        await john.ClickAsync("#book-appointment");
        await PickAsync(john, "#book-specialization", "Cardiology");
        await PickAsync(john, "#book-doctor", "Dr. Sarah Smith");
        await john.FillAsync("#book-date", BookingDay().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await john.Locator("#book-date").BlurAsync();
        await john.ClickAsync("button.slot[data-slot='14:00']");
        await john.FillAsync("#book-reason", reason);
        await WatchForAsync(smith, "#appointment-table tr.live-changed", reason);
        await john.ClickAsync("#book-submit");
        await Assertions.Expect(john.Locator("#appointments-notice")).ToContainTextAsync("Booked with Dr. Sarah Smith");

        // ... and it appears, highlighted, on Dr. Smith's list open on B.
        var row = smith.Locator("#appointment-table tr", new() { HasText = reason });
        await Assertions.Expect(row).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("live-changed"));
        var committedAt = await portals.Database.DataSource.QueryOneAsync<DateTime>("SELECT created_at FROM appointments WHERE reason = @reason", new { reason });
        Report($"Booking through A to the doctor's DOM on B: {await SeenAtAsync(smith) - new DateTimeOffset(committedAt, TimeSpan.Zero).ToUnixTimeMilliseconds():F0} ms");

        // She confirms it on B; John's page on A shows it confirmed.
        var card = john.Locator(".appointment-card", new() { HasText = reason });
        await Assertions.Expect(card).ToContainTextAsync("Scheduled");
        await row.Locator("button[data-action='confirmed']").ClickAsync();
        await Assertions.Expect(card).ToContainTextAsync("Confirmed");
    }

    [Fact]
    public async Task ACriticalReadingPopsUpOnTheDoctorsOpenPageAndAReplyLandsInHerOpenConversation()
    {
        var smith = await SignedInAsync(portals.AddressB, SignIn.DoctorEmail, SignIn.DoctorPassword, "/messages");
        var bell = smith.Locator(".notifications-bell");
        var unreadBefore = await UnreadNotificationsAsync(smith);
        await smith.Locator(".message-row", new() { HasText = "Question about fasting" }).ClickAsync();
        await Assertions.Expect(smith.Locator("#message-thread")).ToContainTextAsync("Can I still take my morning lisinopril");

        // John records a critical reading through A: Dr. Smith's page on B pops it up and counts it.
        var john = await SignedInAsync(portals.AddressA, SignIn.PatientEmail, SignIn.PatientPassword, "/patient/vitals");
        await john.ClickAsync("#record-reading");
        await john.FillAsync("#vital-BloodPressure", "186/124");
        await john.ClickAsync("#save-reading");
        await Assertions.Expect(john.Locator("#reading-saved")).ToContainTextAsync("Your doctor");
        await Assertions.Expect(smith.Locator(".mud-snackbar")).ToContainTextAsync("Critical vital sign: John Doe");
        await Assertions.Expect(bell.Locator(".mud-badge")).ToHaveTextAsync((unreadBefore + 1).ToString(CultureInfo.InvariantCulture));

        // His reply (sent through A) shows in the conversation she has open on B.
        var johnUser = await portals.Database.SignedInAsync(Demo.John);
        var db = portals.A.Services.GetRequiredService<NpgsqlDataSource>();
        await new MessageService(db, johnUser, Demo.Audit(johnUser), new CareTeam(db, TimeProvider.System), new UnreadCounts()).SendAsync(new ComposeMessage
        {
            RecipientId = await portals.Database.UserIdAsync(Demo.Smith),
            Subject = "RE: Question about fasting",
            Body = "Also: may I drink black coffee before the test?",
        });
        await Assertions.Expect(smith.Locator("#message-thread")).ToContainTextAsync("may I drink black coffee");
    }

    static async Task<int> UnreadNotificationsAsync(IPage page)
    {
        var label = await page.Locator(".notifications-bell .mud-badge").GetAttributeAsync("aria-label") ?? "";
        return int.TryParse(label.Split(' ')[0], CultureInfo.InvariantCulture, out var count) ? count : 0;
    }

    [Fact]
    public async Task ADeactivatedPatientLeavesEveryOpenPageOnEveryInstanceForTheLoginPage()
    {
        var emily = (await portals.Database.SignedInAsync(Demo.Emily)).User!;
        var onA = await SignedInAsync(portals.AddressA, Demo.Emily, SignIn.PatientPassword, "/patient/appointments");
        var onB = await SignedInAsync(portals.AddressB, Demo.Emily, SignIn.PatientPassword, "/patient");
        var (hubA, hubB) = (portals.A.Services.GetRequiredService<LiveEventHub>(), portals.B.Services.GetRequiredService<LiveEventHub>());
        var (circuitsA, circuitsB) = (hubA.Status.Circuits, hubB.Status.Circuits);

        var admin = await portals.Database.SignedInAsync(Demo.Admin);
        var db = portals.A.Services.GetRequiredService<NpgsqlDataSource>();
        var ended = await new UserAdminService(db, admin, Demo.Audit(admin), new PasswordHasher()).SetActiveAsync(emily.Id, active: false);

        Assert.Equal(2, ended);
        await LeavesForTheLoginPageAsync(onA, "her page on A");
        await LeavesForTheLoginPageAsync(onB, "her page on B");
        await Assertions.Expect(onB.Locator("body")).ToContainTextAsync("Sign in");
        // Her circuits are closed: each instance serves one live page fewer.
        await Wait.UntilAsync(() => hubA.Status.Circuits == circuitsA - 1 && hubB.Status.Circuits == circuitsB - 1, "her circuits to close");
    }

    [Fact]
    public async Task APageShowingAnErrorStillLeavesForTheLoginPageWhenItsSessionEnds()
    {
        var michael = (await portals.Database.SignedInAsync(Demo.Michael)).User!;
        var page = await SignedInAsync(portals.AddressA, Demo.Michael, SignIn.PatientPassword, "/patient/vitals");
        // The database refuses his reading in a way no form expects: the page shows the error banner.
        await portals.Database.DataSource.ExecuteAsync("""
            CREATE FUNCTION live_journey_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
            CREATE TRIGGER live_journey_refuse BEFORE INSERT ON vital_signs FOR EACH ROW WHEN (NEW.heart_rate = 77) EXECUTE FUNCTION live_journey_refuse();
            """);
        try
        {
            await page.ClickAsync("#record-reading");
            await page.FillAsync("#vital-HeartRate", "77");
            await page.ClickAsync("#save-reading");
            await Assertions.Expect(page.Locator("#page-error")).ToContainTextAsync("Could not save");
        }
        finally
        {
            await portals.Database.DataSource.ExecuteAsync("DROP TRIGGER live_journey_refuse ON vital_signs; DROP FUNCTION live_journey_refuse();");
        }

        var admin = await portals.Database.SignedInAsync(Demo.Admin);
        var db = portals.A.Services.GetRequiredService<NpgsqlDataSource>();
        await new UserAdminService(db, admin, Demo.Audit(admin), new PasswordHasher()).SetActiveAsync(michael.Id, active: false);

        await LeavesForTheLoginPageAsync(page, "his page");
    }

    static async Task LeavesForTheLoginPageAsync(IPage page, string which)
    {
        try
        {
            await page.WaitForURLAsync(url => url.Contains("account/login?reason=ended", StringComparison.Ordinal));
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{which} stayed at {page.Url}, showing: {await page.Locator("body").InnerTextAsync()}");
        }
    }

    [Fact]
    public async Task AnotherAdminsMigrationRunShowsFileByFileOnTheMigrationsPageOfTheOtherInstance()
    {
        var watching = await SignedInAsync(portals.AddressB, SignIn.AdminEmail, SignIn.AdminPassword, "/admin/migrations");
        var table = watching.Locator("#migrations-table");
        await Assertions.Expect(table.Locator("tr", new() { HasText = ExtraMigration })).ToContainTextAsync("Pending");

        var running = await SignedInAsync(portals.AddressA, SignIn.AdminEmail, SignIn.AdminPassword, "/admin/migrations");
        await running.ClickAsync("#run-pending");
        await running.ClickAsync("#confirm-run");

        // The run panel appears on B only from A's progress events: the file, then that it was applied, then the new state.
        var step = watching.Locator("#run-progress .migration-step", new() { HasText = ExtraMigration });
        await Assertions.Expect(step).ToContainTextAsync("applied in");
        await Assertions.Expect(table.Locator("tr", new() { HasText = ExtraMigration })).ToContainTextAsync("web:admin@mediconnect.demo");
        await Assertions.Expect(watching.Locator("#run-progress")).ToContainTextAsync("Last run");
        await Assertions.Expect(watching.Locator("#run-pending")).ToBeDisabledAsync();
    }

    /// <summary>Opens a MudSelect and clicks the option with the given text.</summary>
    static async Task PickAsync(IPage page, string select, string option)
    {
        await page.Locator($".mud-select:has({select})").Last.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = option }).First.ClickAsync();
        await Assertions.Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
    }
}
