using System.Globalization;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Playwright;

namespace MediConnect.Portal.Tests.Journeys;

/// <summary>
/// John records the flu shot he had at a pharmacy on his Health summary: it shows as patient-reported.
/// Dr. Smith opens his chart's Immunizations tab and confirms it; John then sees who confirmed it.
/// With <c>SCREENSHOTS_DIR</c> set, saves <c>patient-health-immunizations.png</c> and <c>doctor-chart-immunizations.png</c>.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ImmunizationJourneyTests(BrowserFixture browser, TestDatabase database) : IClassFixture<TestDatabase>, IAsyncDisposable
{
    readonly PortalFactory _portal = new(database.ConnectionString);

    [Fact]
    public async Task JohnAddsAFluShotFromThePharmacyAndDrSmithConfirmsIt()
    {
        var address = _portal.StartOnKestrel();
        var day = DateTime.Today.AddDays(-12);

        var patient = await browser.NewPageAsync(address);
        await patient.SetViewportSizeAsync(1280, 900);
        await patient.SignInAsync(SignIn.PatientEmail, SignIn.PatientPassword);
        await patient.GotoAsync("/patient/health");
        await patient.WaitForCircuitAsync();
        var section = patient.Locator("#summary-immunizations");
        await Assertions.Expect(section).ToContainTextAsync("No immunizations recorded.");
        await section.Locator("#add-immunization").ClickAsync();
        await section.Locator("#immunization-form .mud-select").First.ClickAsync();
        await patient.Locator(".mud-popover-open .mud-list-item", new() { HasText = "(CVX 150)" }).First.ClickAsync();
        await Assertions.Expect(patient.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
        await section.Locator(".mud-picker input").FillAsync(BrowserText.Of(() => day.ToString(CultureInfo.CurrentCulture.DateTimeFormat.ShortDatePattern, CultureInfo.CurrentCulture)));
        await section.Locator(".mud-picker input").PressAsync("Tab");
        await section.Locator("#immunization-lot").FillAsync("FL2291");
        await section.Locator("#immunization-site").FillAsync("Left arm");
        await section.Locator("#immunization-given-at").FillAsync("Corner pharmacy");
        await section.Locator("#save-immunization").ClickAsync();

        var item = section.Locator("[data-immunization-id]");
        await Assertions.Expect(item).ToContainTextAsync("Influenza, injectable, quadrivalent, preservative free");
        await Assertions.Expect(item.Locator("[data-status='patient-reported']")).ToHaveTextAsync("Patient-reported, not yet confirmed");
        await Assertions.Expect(section.Locator("#immunization-form")).ToHaveCountAsync(0);
        await SaveScreenshotAsync(patient, null, "patient-health-immunizations.png");

        var doctor = await browser.NewPageAsync(address);
        await doctor.SetViewportSizeAsync(1280, 900);
        await doctor.SignInAsync(SignIn.DoctorEmail, SignIn.DoctorPassword);
        await doctor.GotoAsync($"/doctor/patients/{await database.UserIdAsync(SignIn.PatientEmail)}");
        await doctor.WaitForCircuitAsync();
        await doctor.GetByRole(AriaRole.Tab, new() { Name = "Immunizations" }).ClickAsync();
        var table = doctor.Locator("#chart-immunizations");
        await Assertions.Expect(table).ToContainTextAsync("Corner pharmacy");
        await table.Locator("[data-action='confirm-immunization']").ClickAsync();
        await Assertions.Expect(table).ToContainTextAsync("Reported, confirmed by Dr. Sarah Smith");
        await SaveScreenshotAsync(doctor, null, "doctor-chart-immunizations.png");

        await patient.ReloadAsync();
        await patient.WaitForCircuitAsync();
        await Assertions.Expect(patient.Locator("#summary-immunizations [data-status='confirmed']")).ToHaveTextAsync("Confirmed by Dr. Sarah Smith");
    }

    /// <summary>With <c>SCREENSHOTS_DIR</c> set, saves the page (or one part of it) as the user guide shows it.</summary>
    static async Task SaveScreenshotAsync(IPage page, ILocator? part, string file)
    {
        if (Environment.GetEnvironmentVariable("SCREENSHOTS_DIR") is not { Length: > 0 } dir)
            return;
        await page.WaitForFunctionAsync("() => !document.querySelector('.mud-progress-linear')");
        if (part is null)
            await page.ScreenshotAsync(new() { Path = Path.Combine(dir, file) });
        else
            await part.ScreenshotAsync(new() { Path = Path.Combine(dir, file) });
    }

    public ValueTask DisposeAsync() => _portal.DisposeAsync();
}
