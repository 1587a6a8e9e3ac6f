using MediConnect.Portal.Data;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Playwright;

namespace MediConnect.Portal.Tests.Journeys;

[Collection(BrowserCollection.Name)]
public sealed class DoctorJourneyTests(BrowserFixture browser, TestDatabase database) : IClassFixture<TestDatabase>, IAsyncDisposable
{
    readonly PortalFactory _portal = new(database.ConnectionString);

    [Fact]
    public async Task DrSmithRunsJohnsVisitAndDrPatelCannotOpenJohnsChart()
    {
        var baseAddress = _portal.StartOnKestrel();
        var john = await database.UserIdAsync(SignIn.PatientEmail);
        var page = await browser.NewPageAsync(baseAddress);

        // Dr. Smith sees John Doe's next appointment and confirms it.
        await page.SignInAsync(SignIn.DoctorEmail, SignIn.DoctorPassword);
        await page.GotoAsync("/doctor");
        await page.WaitForCircuitAsync();
        var johnsRow = page.Locator("#appointment-table tr", new() { HasText = "Blood pressure and lipid follow-up" });
        await Assertions.Expect(johnsRow).ToContainTextAsync("John Doe");
        await Assertions.Expect(johnsRow.Locator(".status-chip")).ToHaveTextAsync("Scheduled");
        await johnsRow.Locator("button[data-action='confirmed']").ClickAsync();
        await Assertions.Expect(johnsRow.Locator(".status-chip")).ToHaveTextAsync("Confirmed");

        // Opens John's chart and sees the vitals chart.
        await johnsRow.GetByRole(AriaRole.Link, new() { Name = "John Doe" }).ClickAsync();
        await Assertions.Expect(page.Locator("#chart-heading")).ToHaveTextAsync("John Doe");
        await Assertions.Expect(page.Locator("#chart-allergies")).ToContainTextAsync("Penicillin");
        await Assertions.Expect(page.Locator(".vital-trend-chart[data-measure='Systolic'] svg").First).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#chart-heading")).ToHaveTextAsync("John Doe");
        await page.WaitForCircuitAsync();
        Assert.Equal(2, await database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM audit_log a JOIN users u ON u.id = a.user_id WHERE u.email = 'dr.smith@mediconnect.demo' AND a.action = 'chart_view' AND a.entity_id = @john",
            new { john = john.ToString() }));

        // Prescribes a medication.
        await page.ClickAsync("#chart-prescribe");
        await page.FillAsync("#rx-medication", "Amlodipine");
        await page.FillAsync("#rx-dosage", "5 mg");
        await page.FillAsync("#rx-frequency", "Once daily");
        await page.FillAsync("#rx-quantity", "30");
        await page.ClickAsync("#rx-submit");
        await Assertions.Expect(page.GetByText("Amlodipine prescribed (pending).")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Tab, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Prescriptions") }).ClickAsync();
        await Assertions.Expect(page.Locator("#prescriptions-live")).ToContainTextAsync("Amlodipine");

        // Starts and completes John's visit, then writes its note.
        await page.GotoAsync("/doctor");
        await page.WaitForCircuitAsync();
        await johnsRow.Locator("button[data-action='in_progress']").ClickAsync();
        await Assertions.Expect(johnsRow.Locator(".status-chip")).ToHaveTextAsync("In progress");
        await johnsRow.Locator("button[data-action='completed']").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Complete" }).ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Write note" }).ClickAsync();
        await page.FillAsync("#note-chief-complaint", "Blood pressure follow-up");
        await page.FillAsync("#note-diagnosis", "Essential hypertension, controlled");
        await page.FillAsync("#note-treatment-plan", "Continue lisinopril and amlodipine");
        await page.ClickAsync("#note-save");
        await Assertions.Expect(page.GetByText("Consultation note saved.")).ToBeVisibleAsync();
        Assert.Equal(1, await database.DataSource.QueryOneAsync<long>(
            """
            SELECT count(*) FROM medical_records mr JOIN appointments a ON a.id = mr.appointment_id
            WHERE a.patient_id = @john AND a.status = 'completed' AND mr.diagnosis = 'Essential hypertension, controlled'
            """, new { john }));

        // Dr. Patel cannot open John's chart.
        var patel = await browser.NewPageAsync(baseAddress);
        await patel.SignInAsync("dr.patel@mediconnect.demo", SignIn.DoctorPassword);
        await patel.GotoAsync($"/doctor/patients/{john}");
        await Assertions.Expect(patel.Locator("#chart-denied")).ToContainTextAsync("do not have access");
        await Assertions.Expect(patel.Locator("#chart-heading")).ToHaveCountAsync(0);
        Assert.Equal(1, await database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM audit_log a JOIN users u ON u.id = a.user_id WHERE u.email = 'dr.patel@mediconnect.demo' AND a.action = 'chart_access_denied' AND a.entity_id = @john",
            new { john = john.ToString() }));
    }

    public ValueTask DisposeAsync() => _portal.DisposeAsync();
}
