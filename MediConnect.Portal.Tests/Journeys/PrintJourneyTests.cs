using MediConnect.Portal.Data;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Playwright;
using UglyToad.PdfPig;

namespace MediConnect.Portal.Tests.Journeys;

/// <summary>The printable documents as the browser's "Save as PDF" makes them: the document's text, none of the portal around it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PrintJourneyTests(BrowserFixture browser, TestDatabase database) : IClassFixture<TestDatabase>, IAsyncDisposable
{
    readonly PortalFactory _portal = new(database.ConnectionString);

    static async Task<string> PdfTextAsync(IPage page)
    {
        using var pdf = PdfDocument.Open(await page.PdfAsync(new() { Format = "A4" }));
        return string.Join("\n", pdf.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))));
    }

    static readonly string[] PortalAround = ["Sign out", "My health", "Print or save as PDF", "My patients"];

    [Fact]
    public async Task JohnPrintsHisMedicationListWithEveryCurrentMedicationAndNothingElse()
    {
        var page = await browser.NewPageAsync(_portal.StartOnKestrel());
        await page.SignInAsync(Demo.John, SignIn.PatientPassword);
        await page.GotoAsync("/patient/prescriptions");
        await page.WaitForCircuitAsync();
        await page.ClickAsync("#print-medication-list");
        await Assertions.Expect(page.Locator("#medication-list tbody tr").First).ToBeVisibleAsync();

        var text = await PdfTextAsync(page);

        var current = await database.DataSource.QueryListAsync<string>("""
            SELECT rx.medication FROM prescriptions rx JOIN users u ON u.id = rx.patient_id
            WHERE u.email = @john AND rx.status IN ('active', 'filled', 'dispensed', 'pending')
              AND (rx.expiration_date IS NULL OR rx.expiration_date >= current_date)
            """, new { john = Demo.John });
        Assert.NotEmpty(current);
        Assert.Contains("Medication list", text);
        Assert.Contains("John Doe", text);
        Assert.All(current, medication => Assert.Contains(medication.Split(' ')[0], text));
        Assert.All(PortalAround, chrome => Assert.DoesNotContain(chrome, text));
    }

    [Fact]
    public async Task DrSmithPrintsJohnsChartSummaryAndTheOpeningIsAudited()
    {
        var page = await browser.NewPageAsync(_portal.StartOnKestrel());
        var john = await database.UserIdAsync(Demo.John);
        await page.SignInAsync(Demo.Smith, SignIn.DoctorPassword);
        await page.GotoAsync($"/doctor/patients/{john}");
        await page.WaitForCircuitAsync();
        var viewsBefore = await ChartViewsAsync(john);
        await page.ClickAsync("#chart-print");
        await Assertions.Expect(page.Locator("#chart-summary h1")).ToContainTextAsync("John Doe");

        var text = await PdfTextAsync(page);

        var allergies = await database.DataSource.QueryOneAsync<string>("SELECT allergies FROM patient_summary WHERE user_id = @john", new { john });
        Assert.Contains("Chart summary: John Doe", text);
        Assert.Contains("Current medication", text);
        Assert.Contains(allergies!.Split(',')[0].Trim().Split(' ')[0], text);
        Assert.All(PortalAround.Append("Write note").Append("Print summary"), chrome => Assert.DoesNotContain(chrome, text));
        Assert.Equal(viewsBefore + 1, await ChartViewsAsync(john));
    }

    [Fact]
    public async Task JohnPrintsTheSummaryOfACompletedVisitFromItsCard()
    {
        var (john, smith) = (await database.UserIdAsync(Demo.John), await database.UserIdAsync(Demo.Smith));
        var visit = await database.DataSource.QueryOneAsync<int>("""
            INSERT INTO appointments (patient_id, doctor_id, appointment_date, appointment_time, duration_minutes, type, reason, status)
            VALUES (@john, @smith, current_date - 3, '07:00', 30, 'follow-up', 'Dizziness', 'completed') RETURNING id
            """, new { john, smith });
        await database.DataSource.ExecuteAsync("""
            INSERT INTO medical_records (patient_id, doctor_id, appointment_id, record_type, diagnosis, treatment_plan)
            VALUES (@john, @smith, @visit, 'consultation', 'Orthostatic hypotension', 'Stand up slowly; drink two litres a day')
            """, new { john, smith, visit });
        var page = await browser.NewPageAsync(_portal.StartOnKestrel());
        await page.SignInAsync(Demo.John, SignIn.PatientPassword);
        await page.GotoAsync("/patient/appointments");
        await page.WaitForCircuitAsync();
        await page.ClickAsync($"[data-appointment-id='{visit}'] .visit-summary-open");
        await Assertions.Expect(page.Locator("#visit-summary-next")).ToBeVisibleAsync();

        var text = await PdfTextAsync(page);

        Assert.Contains("Visit summary", text);
        Assert.Contains("Dr. Sarah Smith", text);
        Assert.Contains("Orthostatic hypotension", text);
        Assert.Contains("Stand up slowly", text);
        Assert.Contains("Your next appointment", text);
        Assert.All(PortalAround, chrome => Assert.DoesNotContain(chrome, text));
    }

    Task<long> ChartViewsAsync(int patient) => database.DataSource.QueryOneAsync<long>(
        "SELECT count(*) FROM audit_log WHERE action = 'chart_view' AND entity_id = @patient::text", new { patient });

    public ValueTask DisposeAsync() => _portal.DisposeAsync();
}
