using System.Net;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Documents;
using MediConnect.Portal.Tests.Features.Account;
using MediConnect.Portal.Tests.Fixtures;
using static MediConnect.Portal.Tests.Fixtures.Demo;

namespace MediConnect.Portal.Tests.Features.Shared.Documents;

/// <summary>The download and preview endpoints over HTTP: who gets the bytes, and the headers that keep a hostile file harmless.</summary>
public sealed class DocumentEndpointsTests(PortalOnDatabase fixture) : IClassFixture<PortalOnDatabase>
{
    async Task<int> StoredAsync(string fileName, string contentType, byte[] content)
    {
        var john = await fixture.Database.UserIdAsync(John);
        return await fixture.Database.DataSource.QueryOneAsync<int>("""
            INSERT INTO patient_documents (patient_id, uploaded_by, file_name, content_type, content)
            VALUES (@john, @john, @fileName, @contentType, @content) RETURNING id
            """, new { john, fileName, contentType, content });
    }

    async Task<HttpClient> SignedInAsync(string email, string password)
    {
        var client = AccountHttp.Client(fixture.Portal);
        await AccountHttp.SignInAsync(client, email, password);
        return client;
    }

    [Fact]
    public async Task TheDoctorDownloadsAsAnAttachmentThatIsNeverSniffedNorFramedNorShared()
    {
        var id = await StoredAsync("Lab \"report\" März.pdf", DocumentTypes.Pdf, DocumentSamples.Pdf);
        using var doctor = await SignedInAsync(SignIn.DoctorEmail, SignIn.DoctorPassword);

        using var response = await doctor.GetAsync(DocumentEndpoints.DownloadPath(id), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(DocumentSamples.Pdf, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("Lab \"report\" März.pdf", response.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.StartsWith("sandbox", Header(response, "Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", Header(response, "Content-Security-Policy"));
        Assert.Equal("same-origin", Header(response, "Cross-Origin-Resource-Policy"));
        Assert.Contains("no-store", Header(response, "Cache-Control"));
    }

    [Fact]
    public async Task ThePatientsPreviewIsInlineInASandboxFramedOnlyByThePortal()
    {
        var id = await StoredAsync("scan.png", DocumentTypes.Png, DocumentSamples.Png);
        using var patient = await SignedInAsync(SignIn.PatientEmail, SignIn.PatientPassword);

        using var response = await patient.GetAsync(DocumentEndpoints.PreviewPath(id), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("inline", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(DocumentEndpoints.PreviewPolicy, Header(response, "Content-Security-Policy"));
        Assert.Equal("SAMEORIGIN", Header(response, "X-Frame-Options"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
    }

    [Fact]
    public async Task AnAdminAnotherPatientAndAVisitorGetNothing()
    {
        var id = await StoredAsync("private.pdf", DocumentTypes.Pdf, DocumentSamples.Pdf);
        using var admin = await SignedInAsync(SignIn.AdminEmail, SignIn.AdminPassword);
        using var emily = await SignedInAsync(Emily, SignIn.PatientPassword);
        using var visitor = AccountHttp.Client(fixture.Portal);

        foreach (var client in new[] { admin, emily })
        {
            using var response = await client.GetAsync(DocumentEndpoints.DownloadPath(id), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("That document was not found among the ones you may read.", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
        using var signedOut = await visitor.GetAsync(DocumentEndpoints.DownloadPath(id), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.StartsWith("/account/login", AccountHttp.Location(signedOut));
    }

    static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(", ", values) : "";
}
