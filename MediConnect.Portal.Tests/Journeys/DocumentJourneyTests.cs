using MediConnect.Portal.Data;
using MediConnect.Portal.Tests.Features.Shared.Documents;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Playwright;

namespace MediConnect.Portal.Tests.Journeys;

/// <summary>
/// Documents in Chromium: a patient uploads an outside report (a PDF) on their records page and their
/// doctor downloads it from the chart, byte for byte, audited. With <c>SCREENSHOTS_DIR</c> set, saves
/// the patient's documents and the upload form (docs/development.md, "Screenshots").
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DocumentJourneyTests(BrowserFixture browser, TestDatabase database) : IClassFixture<TestDatabase>, IAsyncDisposable
{
    readonly PortalFactory _portal = new(database.ConnectionString);

    [Fact]
    public async Task APatientUploadsAPdfAndTheirDoctorDownloadsIt()
    {
        var address = _portal.StartOnKestrel();
        var john = await database.UserIdAsync(SignIn.PatientEmail);
        var smith = await database.UserIdAsync(SignIn.DoctorEmail);

        var patient = await browser.NewPageAsync(address);
        await patient.SignInAsync(SignIn.PatientEmail, SignIn.PatientPassword);
        await patient.GotoAsync("/patient/records");
        await patient.WaitForCircuitAsync();
        await patient.SetInputFilesAsync("#document-file", new FilePayload { Name = "Outside report.pdf", MimeType = "application/pdf", Buffer = DocumentSamples.Pdf });
        await patient.FillAsync("#document-description", "Cardiology letter from Riverside Hospital");
        await patient.ClickAsync("#document-send");
        var table = patient.Locator("#documents-table");
        await Assertions.Expect(table).ToContainTextAsync("Outside report.pdf");
        await Assertions.Expect(table).ToContainTextAsync("Cardiology letter from Riverside Hospital");
        await patient.ClickAsync(".document-preview");
        await Assertions.Expect(patient.Locator("#document-preview iframe")).ToBeVisibleAsync();
        await patient.ClickAsync(".document-preview");
        await Assertions.Expect(patient.Locator("#document-preview")).ToHaveCountAsync(0);
        await patient.Locator("#document-upload").ScrollIntoViewIfNeededAsync();
        await SaveScreenshotAsync(patient, "patient-documents.png");

        var doctor = await browser.NewPageAsync(address);
        await doctor.SignInAsync(SignIn.DoctorEmail, SignIn.DoctorPassword);
        await doctor.GotoAsync($"/doctor/patients/{john}");
        await doctor.WaitForCircuitAsync();
        await doctor.GetByRole(AriaRole.Tab, new() { Name = "Documents" }).ClickAsync();
        var row = doctor.Locator("#chart-documents tr", new() { HasText = "Outside report.pdf" });
        await Assertions.Expect(row).ToContainTextAsync("John Doe");
        var download = await doctor.RunAndWaitForDownloadAsync(() => row.Locator(".document-download").ClickAsync());

        Assert.Equal("Outside report.pdf", download.SuggestedFilename);
        await using var content = await download.CreateReadStreamAsync();
        using var bytes = new MemoryStream();
        await content.CopyToAsync(bytes);
        Assert.Equal(DocumentSamples.Pdf, bytes.ToArray());
        Assert.Equal(1, await database.DataSource.QueryOneAsync<long>("""
            SELECT count(*) FROM audit_log
            WHERE action = 'document_download' AND entity_type = 'patient_documents' AND user_id = @smith
              AND (new_values ->> 'patientId')::int = @john AND new_values ->> 'preview' = 'false'
            """, new { smith, john }));
    }

    static async Task SaveScreenshotAsync(IPage page, string file)
    {
        if (Environment.GetEnvironmentVariable("SCREENSHOTS_DIR") is not { Length: > 0 } dir)
            return;
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, file) });
    }

    public ValueTask DisposeAsync() => _portal.DisposeAsync();
}
