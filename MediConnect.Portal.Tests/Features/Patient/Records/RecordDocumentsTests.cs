using Bunit;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Doctor.Patients;
using MediConnect.Portal.Features.Patient.Records;
using MediConnect.Portal.Tests.Features.Shared.Documents;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.AspNetCore.Components.Forms;
using static MediConnect.Portal.Tests.Fixtures.Demo;

namespace MediConnect.Portal.Tests.Features.Patient.Records;

/// <summary>The patient's documents on the records page, and the chart's Documents tab, over the real services and database.</summary>
public sealed class RecordDocumentsTests(TestDatabase database) : DatabaseComponentTest(database), IClassFixture<TestDatabase>
{
    [Fact]
    public async Task APatientUploadsAPdfAndSeesItListedWithDownloadAndPreview()
    {
        await SignInAsync(John);
        var cut = Render<RecordDocuments>();
        await cut.WaitForElementAsync("#document-file");

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(DocumentSamples.Pdf, "Outside report.pdf", contentType: "application/pdf"));
        await cut.Find("#document-description").InputAsync("Letter from the cardiologist");
        await cut.Find("#document-send").ClickAsync();

        await cut.WaitForAssertionAsync(() => Assert.Contains("Outside report.pdf", cut.Find("#documents-table").TextContent));
        Assert.Contains("Letter from the cardiologist", cut.Find("#documents-table").TextContent);
        var id = await Database.DataSource.QueryOneAsync<int>("SELECT max(id) FROM patient_documents");
        Assert.Equal($"/documents/{id}", cut.Find(".document-download").GetAttribute("href"));
        await cut.Find(".document-preview").ClickAsync();
        Assert.Equal($"/documents/{id}/preview", cut.Find("#document-preview iframe").GetAttribute("src"));
    }

    [Fact]
    public async Task AWebPageNamedPdfIsRefusedWithAClearMessage()
    {
        await SignInAsync(Emily);
        var cut = Render<RecordDocuments>();
        await cut.WaitForElementAsync("#document-file");

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(DocumentSamples.Html, "report.pdf", contentType: "application/pdf"));
        await cut.Find("#document-send").ClickAsync();

        await cut.WaitForAssertionAsync(() => Assert.Contains("Only PDF, PNG and JPEG files can be uploaded", cut.Find(".document-error").TextContent));
        Assert.Equal("No documents yet.", cut.Find("#documents-none").TextContent);
    }

    [Fact]
    public async Task UnderBreakGlassTheChartTabListsButOffersNoAttaching()
    {
        await SignInAsync(Smith);
        var john = await Database.UserIdAsync(John);

        var careTeam = Render<ChartDocuments>(p => p.Add(c => c.PatientUserId, john));
        var readOnly = Render<ChartDocuments>(p => p.Add(c => c.PatientUserId, john).Add(c => c.ReadOnly, true));

        await careTeam.WaitForElementAsync("#document-upload");
        await readOnly.WaitForElementAsync("#chart-documents");
        Assert.Empty(readOnly.FindAll("#document-upload"));
    }
}
