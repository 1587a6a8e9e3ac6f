using MediConnect.Portal.Tests.Features.Doctor;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Playwright;

namespace MediConnect.Portal.Tests.Journeys;

/// <summary>
/// The patient's side of their record in Chromium: they read who opened their chart, and a
/// correction they report reaches their doctor's messages. With <c>SCREENSHOTS_DIR</c> set, saves
/// <c>patient-record-access.png</c> and <c>patient-health-summary.png</c> there.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RecordAccessJourneyTests(BrowserFixture browser, TestDatabase database) : IClassFixture<TestDatabase>, IAsyncDisposable
{
    const string EmergencyReason = "Brought in after a car accident, unconscious; need his medications.";
    readonly PortalFactory _portal = new(database.ConnectionString);

    [Fact]
    public async Task APatientReadsThatTheirDoctorOpenedTheirChartAndThatAnotherDidInAnEmergency()
    {
        var address = _portal.StartOnKestrel();
        var john = await database.UserIdAsync(SignIn.PatientEmail);

        var doctor = await browser.NewPageAsync(address);
        await doctor.SignInAsync(SignIn.DoctorEmail, SignIn.DoctorPassword);
        await doctor.GotoAsync($"/doctor/patients/{john}");
        await doctor.WaitForCircuitAsync();
        await Assertions.Expect(doctor.Locator("#chart-heading")).ToHaveTextAsync("John Doe");
        // Dr. Patel, not John's doctor, reads the chart under emergency access (the break-glass journey drives its page).
        var patel = await DoctorWorkspace.SignedInAsync(database, "dr.patel@mediconnect.demo");
        await patel.Emergency.RequestAsync(john, EmergencyReason);
        await patel.Chart.OpenAsync(john);

        var patient = await browser.NewPageAsync(address);
        await patient.SetViewportSizeAsync(1280, 900);
        await patient.SignInAsync(SignIn.PatientEmail, SignIn.PatientPassword);
        await patient.GetByRole(AriaRole.Link, new() { Name = "Who looked at my record" }).ClickAsync();
        await patient.WaitForCircuitAsync();
        await Assertions.Expect(patient.Locator("h1")).ToHaveTextAsync("Who looked at my record");
        var newest = patient.Locator(".record-access-row").First;
        await Assertions.Expect(newest).ToContainTextAsync("Dr. Raj Patel (doctor)");
        await Assertions.Expect(newest).ToContainTextAsync("Emergency access");
        await Assertions.Expect(newest.Locator(".record-access-reason")).ToContainTextAsync(EmergencyReason);
        var smith = patient.Locator(".record-access-row", new() { HasText = "Dr. Sarah Smith (doctor)" }).First;
        await Assertions.Expect(smith).ToContainTextAsync("Opened your chart");
        await Assertions.Expect(smith).Not.ToContainTextAsync("Emergency access");
        await SaveScreenshotAsync(patient, "patient-record-access.png");
    }

    [Fact]
    public async Task APatientReportsACorrectionAndTheDoctorReadsIt()
    {
        var address = _portal.StartOnKestrel();
        const string Words = "I stopped this in spring; my doctor in Boston changed it.";

        var patient = await browser.NewPageAsync(address);
        await patient.SetViewportSizeAsync(1280, 900);
        await patient.SignInAsync(SignIn.PatientEmail, SignIn.PatientPassword);
        await patient.GetByRole(AriaRole.Link, new() { Name = "Health summary" }).ClickAsync();
        await patient.WaitForCircuitAsync();
        var medication = patient.Locator("#summary-medications [data-prescription-id]", new() { HasText = "prescribed by Dr. Sarah Smith" }).First;
        await Assertions.Expect(medication).ToBeVisibleAsync();
        await SaveScreenshotAsync(patient, "patient-health-summary.png");
        await medication.Locator("[data-action=report-correction]").ClickAsync();
        await medication.Locator(".report-correction textarea").First.FillAsync(Words);
        await medication.Locator("[data-action=send-correction]").ClickAsync();
        await Assertions.Expect(patient.Locator(".mud-snackbar")).ToContainTextAsync("Sent to your doctor");

        var doctor = await browser.NewPageAsync(address);
        await doctor.SignInAsync(SignIn.DoctorEmail, SignIn.DoctorPassword);
        await doctor.GotoAsync("/messages");
        await doctor.WaitForCircuitAsync();
        await doctor.Locator(".message-row", new() { HasText = "Correction requested: Medication" }).First.ClickAsync();
        await Assertions.Expect(doctor.Locator("#message-thread")).ToContainTextAsync(Words);
    }

    static async Task SaveScreenshotAsync(IPage page, string file)
    {
        if (Environment.GetEnvironmentVariable("SCREENSHOTS_DIR") is not { Length: > 0 } dir)
            return;
        await page.WaitForFunctionAsync("() => !document.querySelector('.mud-progress-linear')");
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, file) });
    }

    public ValueTask DisposeAsync() => _portal.DisposeAsync();
}
