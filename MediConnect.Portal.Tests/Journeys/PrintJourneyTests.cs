using MediConnect.Portal.Data;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Playwright;
using UglyToad.PdfPig;

namespace MediConnect.Portal.Tests.Journeys;

/// <summary>The printable documents as the browser's "Save as PDF" makes them: the document's text, none of the portal around it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PrintJourneyTests(BrowserFixture browser, TestDatabase database) : IClassFixture<TestDatabase>, IAsyncDisposable
{
    readonly PortalFactory _portal = new(database.ConnectionString, new Dictionary<string, string?>
    {
        ["CLINIC_NAME"] = "Riverside Family Clinic", ["CLINIC_ADDRESS"] = "12 Mill Lane, Springfield", ["CLINIC_PHONE"] = "+1 555 0142",
    });

    const string ClinicLine = "Riverside Family Clinic · 12 Mill Lane, Springfield · +1 555 0142";

    static async Task<IReadOnlyList<string>> PdfPagesAsync(IPage page)
    {
        using var pdf = PdfDocument.Open(await page.PdfAsync(new() { Format = "A4" }));
        return [.. pdf.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text)))];
    }

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

    [Fact]
    public async Task OnPaperTheChartHasTheClinicHeaderOnEveryPageAndNoToastOrButtons()
    {
        var (john, smith) = (await database.UserIdAsync(Demo.John), await database.UserIdAsync(Demo.Smith));
        // A long chart: forty live prescriptions fill more than one page.
        await database.DataSource.ExecuteAsync("""
            INSERT INTO prescriptions (patient_id, doctor_id, medication, dosage, frequency, status)
            SELECT @john, @smith, 'Longlist ' || i, i || ' mg', 'Once daily', 'active' FROM generate_series(1, 40) AS i
            """, new { john, smith });
        var page = await browser.NewPageAsync(_portal.StartOnKestrel());
        await page.SignInAsync(Demo.Smith, SignIn.DoctorPassword);
        await page.GotoAsync($"/doctor/patients/{john}");
        await page.WaitForCircuitAsync();
        // A success toast, still on screen when the doctor prints.
        await page.ClickAsync("#chart-prescribe");
        await page.FillAsync("#rx-medication", "Amlodipine");
        await page.FillAsync("#rx-dosage", "5 mg");
        await page.FillAsync("#rx-frequency", "Once daily");
        await page.FillAsync("#rx-quantity", "30");
        await page.ClickAsync("#rx-submit");
        var toast = page.Locator(".mud-snackbar", new() { HasText = "Amlodipine prescribed (pending)." });
        await Assertions.Expect(toast).ToBeVisibleAsync();
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Assertions.Expect(toast).ToBeHiddenAsync();
        Assert.Equal(1, await toast.CountAsync()); // on the page, not on paper
        await page.EmulateMediaAsync(new() { Media = Media.Screen });
        await page.ClickAsync("#chart-print");
        await Assertions.Expect(page.Locator("#chart-summary h1")).ToContainTextAsync("John Doe");

        await page.EmulateMediaAsync(new() { Media = Media.Print });

        await Assertions.Expect(page.Locator("#print-header")).ToContainTextAsync(ClinicLine);
        await Assertions.Expect(page.Locator("#print-header")).ToContainTextAsync("Patient: John Doe, born Mar 14, 1980");
        await Assertions.Expect(page.Locator("#print-header")).ToContainTextAsync("printed");
        await Assertions.Expect(page.Locator("#print-now")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator(".mud-appbar")).ToBeHiddenAsync();
        Assert.Equal(0, await page.Locator("button:visible, nav:visible, .mud-snackbar:visible").CountAsync());

        var pages = await PdfPagesAsync(page);

        Assert.True(pages.Count >= 2, $"the chart printed on {pages.Count} page(s)");
        Assert.All(pages, text =>
        {
            Assert.Contains("Riverside Family Clinic", text);
            Assert.Contains("John Doe, born Mar 14, 1980", text);
        });
        Assert.Contains("+1 555 0142", pages[1]);
        Assert.All(pages, text => Assert.DoesNotContain("prescribed (pending)", text));
    }

    [Fact]
    public async Task DrSmithPrintsTheAfterVisitSummaryOfACompletedVisitAndItIsAuditedAsAChartRead()
    {
        var (john, smith) = (await database.UserIdAsync(Demo.John), await database.UserIdAsync(Demo.Smith));
        var visit = await database.DataSource.QueryOneAsync<int>("""
            INSERT INTO appointments (patient_id, doctor_id, appointment_date, appointment_time, duration_minutes, type, reason, status)
            VALUES (@john, @smith, DATE '2025-06-02', '07:00', 30, 'follow-up', 'Chest tightness on stairs', 'completed') RETURNING id
            """, new { john, smith });
        await database.DataSource.ExecuteAsync("""
            INSERT INTO medical_records (patient_id, doctor_id, appointment_id, record_type, chief_complaint, diagnosis, treatment_plan, notes)
            VALUES (@john, @smith, @visit, 'consultation', 'Chest tightness', 'Stable angina', 'Start aspirin; walk daily', 'Private: consider referral');
            INSERT INTO prescriptions (patient_id, doctor_id, appointment_id, medication, dosage, frequency, status, instructions, prescribed_date)
            VALUES (@john, @smith, @visit, 'Aspirin', '81 mg', 'Once daily', 'pending', 'Take with food', DATE '2025-06-02');
            INSERT INTO vital_signs (patient_id, heart_rate, blood_pressure, recorded_at, device_source)
            SELECT p.id, 88, '148/92', TIMESTAMP '2025-06-02 12:10' AT TIME ZONE current_setting('TimeZone'), 'Manual Entry' FROM patients p WHERE p.user_id = @john
            """, new { john, smith, visit });
        var reads = await ChartViewsAsync(john);
        var page = await browser.NewPageAsync(_portal.StartOnKestrel());
        await page.SignInAsync(Demo.Smith, SignIn.DoctorPassword);
        await page.GotoAsync($"/doctor/visits/{visit}/summary");
        await Assertions.Expect(page.Locator("#after-visit-summary h1")).ToHaveTextAsync("After-visit summary");

        await page.EmulateMediaAsync(new() { Media = Media.Print });

        await Assertions.Expect(page.Locator("#print-header")).ToContainTextAsync(ClinicLine);
        await Assertions.Expect(page.Locator("#print-header")).ToContainTextAsync("Patient: John Doe, born Mar 14, 1980");
        await Assertions.Expect(page.Locator("#print-now")).ToBeHiddenAsync();
        var summary = page.Locator("#after-visit-summary");
        await Assertions.Expect(summary).ToContainTextAsync("Chest tightness on stairs");
        await Assertions.Expect(summary).ToContainTextAsync("Stable angina");
        await Assertions.Expect(summary).ToContainTextAsync("Start aspirin; walk daily");
        await Assertions.Expect(page.Locator("#avs-prescriptions")).ToContainTextAsync("Aspirin: 81 mg, Once daily. Take with food");
        await Assertions.Expect(page.Locator("#avs-prescriptions")).ToContainTextAsync("Not sent yet: your doctor has written it");
        await Assertions.Expect(page.Locator("#avs-vitals")).ToContainTextAsync("148/92 mmHg");
        await Assertions.Expect(summary).Not.ToContainTextAsync("Private: consider referral");
        if (Environment.GetEnvironmentVariable("SCREENSHOTS_DIR") is { Length: > 0 } dir)
            await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "after-visit-summary-print.png"), FullPage = true });
        Assert.Equal(reads + 1, await ChartViewsAsync(john));
        Assert.Equal(1, await database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action = 'chart_view' AND entity_id = @john AND new_values ->> 'part' = 'after_visit_summary'",
            new { john = john.ToString() }));
    }

    [Fact]
    public async Task ADoctorOutsideTheCareTeamCannotPrintTheAfterVisitSummary()
    {
        var (john, smith) = (await database.UserIdAsync(Demo.John), await database.UserIdAsync(Demo.Smith));
        var visit = await database.DataSource.QueryOneAsync<int>("""
            INSERT INTO appointments (patient_id, doctor_id, appointment_date, appointment_time, duration_minutes, type, reason, status)
            VALUES (@john, @smith, DATE '2025-06-03', '07:00', 30, 'follow-up', 'Check-up', 'completed') RETURNING id
            """, new { john, smith });
        var outsider = await database.NewUserAsync("doctor");
        var page = await browser.NewPageAsync(_portal.StartOnKestrel());
        await page.SignInAsync(outsider, SignIn.DoctorPassword);
        await page.GotoAsync($"/doctor/visits/{visit}/summary");

        await Assertions.Expect(page.Locator("#visit-summary-refused")).ToContainTextAsync("You do not have access to this patient's chart.");
        Assert.Equal(0, await page.Locator("#after-visit-summary").CountAsync());
    }

    Task<long> ChartViewsAsync(int patient) => database.DataSource.QueryOneAsync<long>(
        "SELECT count(*) FROM audit_log WHERE action = 'chart_view' AND entity_id = @patient::text", new { patient });

    public ValueTask DisposeAsync() => _portal.DisposeAsync();
}
