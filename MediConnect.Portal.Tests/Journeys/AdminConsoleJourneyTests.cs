using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Playwright;

namespace MediConnect.Portal.Tests.Journeys;

/// <summary>
/// The admin console in Chromium: the portal runs on a copy of the real migrations with one
/// extra, harmless pending file, which the admin applies from the page.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminConsoleJourneyTests : IClassFixture<TestDatabase>, IAsyncDisposable
{
    const string ExtraFile = "900_journey_extra.sql";
    readonly BrowserFixture _browser;
    readonly string _folder;
    readonly PortalFactory _portal;

    public AdminConsoleJourneyTests(BrowserFixture browser, TestDatabase database)
    {
        _browser = browser;
        _folder = Directory.CreateTempSubdirectory("journey-migrations-").FullName;
        foreach (var file in Directory.GetFiles(PostgresServer.MigrationsFolder, "*.sql"))
            File.Copy(file, Path.Combine(_folder, Path.GetFileName(file)));
        File.WriteAllText(Path.Combine(_folder, ExtraFile), "CREATE TABLE journey_extra (id int);\n");
        _portal = new PortalFactory(database.ConnectionString, new Dictionary<string, string?> { ["MIGRATIONS_DIR"] = _folder });
    }

    [Fact]
    public async Task AdminRunsAPendingMigrationSeesThePoolAndCreatesADoctorWhoCanSignIn()
    {
        var address = _portal.StartOnKestrel();
        var page = await _browser.NewPageAsync(address);
        await page.SignInAsync(SignIn.AdminEmail, SignIn.AdminPassword);

        // The migrations applied so far, and the pending one.
        await page.GotoAsync("/admin/migrations");
        await page.WaitForCircuitAsync();
        var table = page.Locator("#migrations-table");
        await Assertions.Expect(table.Locator("tr", new() { HasText = "001_initial_schema.sql" })).ToContainTextAsync("Applied");
        await Assertions.Expect(table.Locator("tr", new() { HasText = ExtraFile })).ToContainTextAsync("Pending");

        // Run it, after the confirmation that lists it.
        await page.ClickAsync("#run-pending");
        await Assertions.Expect(page.Locator("#confirm-list")).ToContainTextAsync(ExtraFile);
        await page.ClickAsync("#confirm-run");
        await Assertions.Expect(page.Locator("#run-result")).ToContainTextAsync($"Applied 1 migration(s): {ExtraFile}");
        await Assertions.Expect(table.Locator("tr", new() { HasText = ExtraFile })).ToContainTextAsync("web:admin@mediconnect.demo");
        await Assertions.Expect(page.Locator("#current-version")).ToHaveTextAsync(ExtraFile);

        // Pool figures.
        await page.GotoAsync("/admin/health");
        await page.WaitForCircuitAsync();
        await Assertions.Expect(page.Locator("#pool-max")).ToHaveTextAsync("20");
        await Assertions.Expect(page.Locator("#pool-total")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+$"));
        await Assertions.Expect(page.Locator("#db-latency")).ToContainTextAsync("PostgreSQL");

        // A new doctor account.
        await page.GotoAsync("/admin/users");
        await page.WaitForCircuitAsync();
        await page.ClickAsync("#new-user");
        await page.FillAsync("#user-email", "dr.journey@mediconnect.demo");
        await page.FillAsync("#user-name", "Dr. Journey Test");
        await page.GetByText("Doctor", new() { Exact = true }).ClickAsync();
        await page.FillAsync("#user-specialization", "Neurology");
        await page.FillAsync("#user-password", "Journey-Doctor-2025");
        await page.ClickAsync("#save-user");
        await Assertions.Expect(page.Locator("#shown-password")).ToContainTextAsync("dr.journey@mediconnect.demo");
        await Assertions.Expect(page.Locator("#users-table")).ToContainTextAsync("Dr. Journey Test");

        // The doctor signs in with the password the admin set.
        var doctorPage = await _browser.NewPageAsync(address);
        await doctorPage.SignInAsync("dr.journey@mediconnect.demo", "Journey-Doctor-2025");
        Assert.DoesNotContain("/account/login", doctorPage.Url);
    }

    public async ValueTask DisposeAsync()
    {
        await _portal.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
