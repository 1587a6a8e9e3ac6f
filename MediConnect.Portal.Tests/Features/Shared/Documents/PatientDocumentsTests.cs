using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Documents;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using static MediConnect.Portal.Tests.Features.Shared.Documents.DocumentSamples;
using static MediConnect.Portal.Tests.Fixtures.Demo;

namespace MediConnect.Portal.Tests.Features.Shared.Documents;

/// <summary>Documents against the real database: who may upload and read, what is refused, and what the audit log keeps.</summary>
public sealed class PatientDocumentsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    async Task<PatientDocuments> AsAsync(string email, long maxBytes = 20 * DocumentSettings.Megabyte)
    {
        var user = await database.SignedInAsync(email);
        return new PatientDocuments(database.DataSource, user, CareTeam(database), ChartAccess(database, user), Audit(user), new DocumentSettings(maxBytes));
    }

    Task<long> CountAsync(string sql, object args) => database.DataSource.QueryOneAsync<long>(sql, args);

    static async Task<byte[]> ContentAsync(DocumentFile file)
    {
        using var buffer = new MemoryStream();
        await file.WriteContentAsync(buffer, TestContext.Current.CancellationToken);
        return buffer.ToArray();
    }

    [Fact]
    public async Task APatientUploadsAPdfAndTheUploadIsAuditedWithoutItsNameOrDescription()
    {
        var john = await database.UserIdAsync(John);
        var documents = await AsAsync(John);

        var row = await documents.UploadAsync(john, new DocumentUpload("Cardiology letter.pdf", "From Dr. Outside, March"), Stream(Pdf));

        Assert.Equal((DocumentTypes.Pdf, Pdf.Length, "Cardiology letter.pdf", "John Doe", Roles.Patient),
            (row.ContentType, row.SizeBytes, row.FileName, row.UploadedByName, row.UploadedByRole));
        Assert.Contains(await documents.MineAsync(), d => d.Id == row.Id);
        var audit = await database.DataSource.QueryOneAsync<string>(
            "SELECT new_values::text FROM audit_log WHERE action = 'document_upload' AND entity_type = 'patient_documents' AND entity_id = @id AND user_id = @john",
            new { id = row.Id.ToString(), john });
        Assert.Contains($"\"patientId\": {john}", audit);
        Assert.DoesNotContain("Cardiology", audit);
        Assert.DoesNotContain("Outside", audit);
    }

    [Fact]
    public async Task TheTypeComesFromTheContentNeverTheName()
    {
        var john = await database.UserIdAsync(John);
        var documents = await AsAsync(John);

        var png = await documents.UploadAsync(john, new DocumentUpload("scan.pdf", null), Stream(Png));
        var jpeg = await documents.UploadAsync(john, new DocumentUpload("photo", null), Stream(Jpeg));
        var refused = await Assert.ThrowsAsync<FieldValidationException>(() =>
            documents.UploadAsync(john, new DocumentUpload("report.pdf", null), Stream(Html)));

        Assert.Equal(DocumentTypes.Png, png.ContentType);
        Assert.Equal(DocumentTypes.Jpeg, jpeg.ContentType);
        Assert.Equal("Only PDF, PNG and JPEG files can be uploaded, and this file's content is none of them (its name does not matter).", refused.Errors["File"]);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM patient_documents WHERE file_name = 'report.pdf'", new { }));
    }

    [Fact]
    public async Task AFileOverTheLimitOrEmptyIsRefusedWithAClearMessageAndNothingIsStoredOrAudited()
    {
        var john = await database.UserIdAsync(John);
        var documents = await AsAsync(John, maxBytes: DocumentSettings.Megabyte);
        var large = new byte[DocumentSettings.Megabyte + 1];
        Pdf.CopyTo(large, 0);
        var auditBefore = await CountAsync("SELECT count(*) FROM audit_log WHERE action = 'document_upload'", new { });

        var tooLarge = await Assert.ThrowsAsync<FieldValidationException>(() =>
            documents.UploadAsync(john, new DocumentUpload("big.pdf", null), Stream(large)));
        var empty = await Assert.ThrowsAsync<FieldValidationException>(() =>
            documents.UploadAsync(john, new DocumentUpload("empty.pdf", null), Stream([])));
        var exactly = await documents.UploadAsync(john, new DocumentUpload("just fits.pdf", null), Stream(large[..^1]));

        Assert.Equal("The file is larger than 1 MB, the most the clinic accepts. Please upload a smaller file.", tooLarge.Errors["File"]);
        Assert.Equal("The file is empty.", empty.Errors["File"]);
        Assert.Equal(DocumentSettings.Megabyte, exactly.SizeBytes);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM patient_documents WHERE file_name IN ('big.pdf', 'empty.pdf')", new { }));
        Assert.Equal(auditBefore + 1, await CountAsync("SELECT count(*) FROM audit_log WHERE action = 'document_upload'", new { }));
    }

    [Fact]
    public async Task AFolderInTheNameIsDroppedAndHostileNamesAreRefused()
    {
        var john = await database.UserIdAsync(John);
        var documents = await AsAsync(John);

        var row = await documents.UploadAsync(john, new DocumentUpload(@"C:\Users\john\..\..\etc/passwd.pdf", null), Stream(Pdf));
        var reversed = await Assert.ThrowsAsync<FieldValidationException>(() =>
            documents.UploadAsync(john, new DocumentUpload("report\u202Efdp.exe", null), Stream(Pdf)));

        Assert.Equal("passwd.pdf", row.FileName);
        Assert.Contains("reverses or reorders text", reversed.Errors[nameof(DocumentUpload.FileName)]);
    }

    [Fact]
    public async Task ADoctorOfTheCareTeamAttachesAndDownloadsAndEachDownloadIsAuditedWithThePatient()
    {
        var john = await database.UserIdAsync(John);
        var smith = await database.UserIdAsync(Smith);
        var doctor = await AsAsync(Smith);

        var row = await doctor.UploadAsync(john, new DocumentUpload("ECG.png", "Resting ECG"), Stream(Png));
        var file = await doctor.DownloadAsync(row.Id);

        Assert.Equal(Png, await ContentAsync(file));
        Assert.Contains(await doctor.ListAsync(john), d => d.Id == row.Id && d.UploadedByRole == Roles.Doctor);
        Assert.Contains(await (await AsAsync(John)).MineAsync(), d => d.Id == row.Id && d.Description == "Resting ECG");
        Assert.Equal(1, await CountAsync("""
            SELECT count(*) FROM audit_log
            WHERE action = 'document_download' AND entity_type = 'patient_documents' AND entity_id = @id
              AND user_id = @smith AND (new_values ->> 'patientId')::int = @john
            """, new { id = row.Id.ToString(), smith, john }));
    }

    [Fact]
    public async Task NoOneElseReachesAPatientsDocuments()
    {
        var john = await database.UserIdAsync(John);
        var row = await (await AsAsync(John)).UploadAsync(john, new DocumentUpload("mine.pdf", null), Stream(Pdf));

        foreach (var email in new[] { Patel, Emily, Demo.Admin })
        {
            var other = await AsAsync(email);
            var download = await Assert.ThrowsAsync<AccessDeniedException>(() => other.DownloadAsync(row.Id));
            await Assert.ThrowsAsync<AccessDeniedException>(() => other.ListAsync(john));
            await Assert.ThrowsAsync<AccessDeniedException>(() => other.UploadAsync(john, new DocumentUpload("x.pdf", null), Stream(Pdf)));
            Assert.Equal("That document was not found among the ones you may read.", download.Message);
        }
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM audit_log WHERE action = 'document_download' AND entity_id = @id", new { id = row.Id.ToString() }));
    }

    [Fact]
    public async Task UnderBreakGlassADoctorReadsButCannotAttach()
    {
        var john = await database.UserIdAsync(John);
        var okafor = await database.UserIdAsync(Okafor);
        Assert.False(await CareTeam(database).AreLinkedAsync(okafor, john));
        var row = await (await AsAsync(John)).UploadAsync(john, new DocumentUpload("for the emergency.pdf", null), Stream(Pdf));
        await database.DataSource.ExecuteAsync("""
            INSERT INTO break_glass_grants (doctor_id, patient_id, reason, granted_at, expires_at)
            VALUES (@okafor, @john, 'Unconscious in the emergency room, needs history.', now() - interval '1 minute', now() + interval '1 hour')
            """, new { okafor, john });
        var doctor = await AsAsync(Okafor);

        Assert.Equal(Pdf, await ContentAsync(await doctor.DownloadAsync(row.Id)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => doctor.UploadAsync(john, new DocumentUpload("x.pdf", null), Stream(Pdf)));
        Assert.Equal(1, await CountAsync(
            "SELECT count(*) FROM audit_log WHERE action = 'break_glass_chart_read' AND user_id = @okafor AND new_values ->> 'part' = 'documents'", new { okafor }));
    }

    [Fact]
    public async Task TheDatabaseRefusesAContentTypeItsContentDoesNotStartWith()
    {
        var john = await database.UserIdAsync(John);

        var refused = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => database.DataSource.ExecuteAsync("""
            INSERT INTO patient_documents (patient_id, uploaded_by, file_name, content_type, content)
            VALUES (@john, @john, 'fake.pdf', 'application/pdf', @html)
            """, new { john, html = Html }));

        Assert.Equal("patient_documents_content_type_check", refused.ConstraintName);
    }
}
