using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Playwright;

namespace MediConnect.Portal.Tests.Journeys;

/// <summary>Lab results in Chromium: a doctor enters a panel with one critical value; the patient sees the band and the flag.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LabResultsJourneyTests(BrowserFixture browser, TestDatabase database) : IClassFixture<TestDatabase>, IAsyncDisposable
{
    readonly PortalFactory _portal = new(database.ConnectionString);

    [Fact]
    public async Task ADoctorEntersAPanelWithOneCriticalValueAndThePatientSeesTheBandAndTheFlag()
    {
        var address = _portal.StartOnKestrel();
        var john = await database.UserIdAsync(SignIn.PatientEmail);

        var doctor = await browser.NewPageAsync(address);
        await doctor.SignInAsync(SignIn.DoctorEmail, SignIn.DoctorPassword);
        await doctor.GotoAsync($"/doctor/patients/{john}");
        await doctor.WaitForCircuitAsync();
        await doctor.GetByRole(AriaRole.Tab, new() { Name = "Lab results" }).ClickAsync();
        await doctor.Locator(".mud-select:has(#lab-choice)").Last.ClickAsync();
        await doctor.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Panel: Basic metabolic panel" }).First.ClickAsync();
        foreach (var (loinc, value) in new[] { ("2345-7", "96"), ("3094-0", "14"), ("2160-0", "1.0"), ("2951-2", "139"), ("2823-3", "6.9"), ("2075-0", "101"), ("2028-9", "25"), ("17861-6", "9.4") })
            await doctor.FillAsync($"#lab-value-{loinc}", value);
        await doctor.ClickAsync("#lab-save");

        var potassium = doctor.Locator("#labs-table tr", new() { HasText = "Potassium" });
        await Assertions.Expect(potassium).ToContainTextAsync("6.9 mmol/L");
        await Assertions.Expect(potassium.Locator(".lab-flag")).ToHaveTextAsync("Critically high");
        await Assertions.Expect(doctor.Locator("#labs-table tr", new() { HasText = "Sodium" }).Locator(".lab-flag")).ToHaveTextAsync("Normal");
        await Assertions.Expect(doctor.Locator(".flag-critical-lab")).ToContainTextAsync("Potassium 6.9 mmol/L critically high");

        var patient = await browser.NewPageAsync(address);
        await patient.SignInAsync(SignIn.PatientEmail, SignIn.PatientPassword);
        await patient.GotoAsync("/patient/labs");
        await patient.WaitForCircuitAsync();
        var card = patient.Locator(".lab-test[data-loinc='2823-3']");
        await Assertions.Expect(card.Locator(".lab-flag")).ToHaveTextAsync("Critically high");
        await Assertions.Expect(card.Locator("rect.lab-range-band")).ToHaveCountAsync(1);
        await Assertions.Expect(card).ToContainTextAsync("Reference range: 3.5–5.1 mmol/L");
        await Assertions.Expect(patient.Locator(".lab-test[data-loinc='2951-2'] .lab-flag")).ToHaveTextAsync("Normal");

        if (Environment.GetEnvironmentVariable("SCREENSHOTS_DIR") is { Length: > 0 } dir)
            await patient.ScreenshotAsync(new() { Path = Path.Combine(dir, "patient-labs.png"), FullPage = true });
    }

    public ValueTask DisposeAsync() => _portal.DisposeAsync();
}
