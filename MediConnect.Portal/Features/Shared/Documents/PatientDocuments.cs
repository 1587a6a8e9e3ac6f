using System.Data;
using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Shared.Documents;

/// <summary>A document on a patient's record, without its content.</summary>
public sealed record DocumentRow(
    int Id,
    int PatientId,
    int? MedicalRecordId,
    string FileName,
    string? Description,
    string ContentType,
    int SizeBytes,
    DateTime CreatedAt,
    string UploadedByName,
    string UploadedByRole);

/// <summary>What an upload says about the file besides its bytes.</summary>
public sealed record DocumentUpload(string? FileName, string? Description, int? MedicalRecordId = null);

/// <summary>A document about to be sent: its row, and a writer that streams its content from the database.</summary>
public sealed record DocumentFile(DocumentRow Document, Func<Stream, CancellationToken, Task> WriteContentAsync);

/// <summary>
/// Documents (PDFs and images) on a patient's record. A patient uploads to and reads their own; a
/// doctor of the patient's care team attaches and reads; a doctor under break-glass reads only
/// (through <see cref="ChartAccessGuard"/>, audited as a break-glass read); an admin reaches none.
/// The type is decided from the content's first bytes, never the name; an upload and its audit row
/// commit together; every download (and preview) is audited as <see cref="DownloadAction"/>.
/// </summary>
public sealed class PatientDocuments(NpgsqlDataSource db, ICurrentUser currentUser, CareTeam careTeam, ChartAccessGuard guard,
    AuditLog audit, DocumentSettings settings)
{
    public const string UploadAction = "document_upload";
    public const string DownloadAction = "document_download";
    public const string EntityType = "patient_documents";

    public static readonly TextField FileName = new("The file name", 255, TextKind.Identity, "The file has no name.");
    public static readonly TextField Description = new("The description", 500, TextKind.SharedLines);

    const string SelectSql = """
        SELECT d.id, d.patient_id, d.medical_record_id, d.file_name, d.description, d.content_type, d.size_bytes, d.created_at,
               u.name AS uploaded_by_name, u.role AS uploaded_by_role
        FROM patient_documents d
        JOIN users u ON u.id = d.uploaded_by
        """;

    /// <summary>The signed-in patient's own documents, newest first.</summary>
    public async Task<IReadOnlyList<DocumentRow>> MineAsync(CancellationToken ct = default)
    {
        var patient = await currentUser.RequireAsync(Roles.Patient);
        return await ListSqlAsync(patient.Id, ct);
    }

    /// <summary>A patient's documents, newest first: the patient themselves, or a doctor who may read the chart.</summary>
    /// <exception cref="AccessDeniedException">Anyone else.</exception>
    public async Task<IReadOnlyList<DocumentRow>> ListAsync(int patientUserId, CancellationToken ct = default)
    {
        await RequireReadAsync(patientUserId, ct);
        return await ListSqlAsync(patientUserId, ct);
    }

    Task<IReadOnlyList<DocumentRow>> ListSqlAsync(int patientUserId, CancellationToken ct) =>
        db.QueryListAsync<DocumentRow>($"{SelectSql} WHERE d.patient_id = @patientUserId ORDER BY d.created_at DESC, d.id DESC", new { patientUserId }, ct);

    /// <summary>The signed-in patient uploads to their own record (see <see cref="UploadAsync"/>).</summary>
    public async Task<DocumentRow> UploadMineAsync(DocumentUpload upload, Stream content, CancellationToken ct = default)
    {
        var patient = await currentUser.RequireAsync(Roles.Patient);
        return await UploadAsync(patient.Id, upload, content, ct);
    }

    /// <summary>The message for a file over the limit: a page that knows the file's size says it before sending a byte.</summary>
    public string TooLargeMessage => $"The file is larger than {settings.MaxText}, the most the clinic accepts. Please upload a smaller file.";

    public long MaxBytes => settings.MaxBytes;

    /// <summary>
    /// Stores a document on <paramref name="patientUserId"/>'s record: the patient's own, or by a doctor of
    /// their care team (not under break-glass, which is read-only). At most <see cref="DocumentSettings.MaxBytes"/>;
    /// a PDF, PNG or JPEG by its content.
    /// </summary>
    /// <exception cref="FieldValidationException">The file is empty, too large, of another type, or a text is not acceptable (nothing stored).</exception>
    /// <exception cref="AccessDeniedException">Not the patient, nor a doctor of theirs.</exception>
    public async Task<DocumentRow> UploadAsync(int patientUserId, DocumentUpload upload, Stream content, CancellationToken ct = default)
    {
        var user = await currentUser.RequireAsync(Roles.Patient, Roles.Doctor);
        if (user.IsPatient ? user.Id != patientUserId : !await careTeam.AreLinkedAsync(user.Id, patientUserId, ct))
            throw new AccessDeniedException(user.IsPatient
                ? "You can upload documents only to your own record."
                : "You can attach documents only for your own patients.");

        var name = BaseName(upload.FileName);
        var errors = new Dictionary<string, string>();
        errors.Check(nameof(DocumentUpload.FileName), FileName, name);
        errors.Check(nameof(DocumentUpload.Description), Description, upload.Description);
        var bytes = await ReadLimitedAsync(content, ct);
        string? contentType = null;
        if (bytes is null)
            errors["File"] = TooLargeMessage;
        else if (bytes.Length == 0)
            errors["File"] = "The file is empty.";
        else if ((contentType = DocumentTypes.Sniff(bytes)) is null)
            errors["File"] = "Only PDF, PNG and JPEG files can be uploaded, and this file's content is none of them (its name does not matter).";
        if (errors.Count > 0)
            throw new FieldValidationException(errors);

        const string insert = """
            INSERT INTO patient_documents (patient_id, medical_record_id, uploaded_by, file_name, description, content_type, content)
            SELECT @patientUserId, @MedicalRecordId, @uploadedBy, @name, @description, @contentType, @bytes
            WHERE @MedicalRecordId::int IS NULL
               OR EXISTS (SELECT 1 FROM medical_records WHERE id = @MedicalRecordId AND patient_id = @patientUserId)
            RETURNING id
            """;
        var description = TextField.Clean(upload.Description);
        var id = await db.InTransactionAsync(async tx =>
        {
            var newId = await tx.QueryOneAsync<int?>(insert, new
            {
                patientUserId, upload.MedicalRecordId, uploadedBy = user.Id, name = TextField.Clean(name), description, contentType, bytes,
            }) ?? throw new AccessDeniedException("That record was not found on this patient's chart.");
            // Ids, type and size only: never the name or description, which may say something clinical (see AuditLog).
            await audit.WriteAsync(tx, UploadAction, EntityType, newId, null, new
            {
                patientId = patientUserId, upload.MedicalRecordId, contentType, sizeBytes = bytes!.Length,
                written = AuditLog.Written(new { FileName = name, Description = description }),
            });
            return newId;
        }, ct: ct);
        return (await db.QueryOneAsync<DocumentRow>($"{SelectSql} WHERE d.id = @id", new { id }, ct))!;
    }

    /// <summary>
    /// A document for the signed-in user to download or preview, audited as <see cref="DownloadAction"/>
    /// (with <c>patientId</c>, so the patient can see who read it) before any byte is sent.
    /// </summary>
    /// <exception cref="AccessDeniedException">No such document, or not readable by this user (the message does not say which).</exception>
    public async Task<DocumentFile> DownloadAsync(int id, bool preview = false, CancellationToken ct = default)
    {
        var document = await db.QueryOneAsync<DocumentRow>($"{SelectSql} WHERE d.id = @id", new { id }, ct)
            ?? throw new AccessDeniedException(NotFound);
        try
        {
            await RequireReadAsync(document.PatientId, ct);
        }
        catch (AccessDeniedException e) when (e.Message != ChartAccessGuard.EmergencyEndedMessage)
        {
            throw new AccessDeniedException(NotFound);
        }
        await audit.WriteAsync(db, DownloadAction, EntityType, id, new { patientId = document.PatientId, preview });
        return new DocumentFile(document, (destination, token) => CopyContentAsync(id, destination, token));
    }

    const string NotFound = "That document was not found among the ones you may read.";

    // Sequential access streams the bytea to the response without holding the whole file twice.
    async Task CopyContentAsync(int id, Stream destination, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT content FROM patient_documents WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess | CommandBehavior.SingleRow, ct);
        if (!await reader.ReadAsync(ct))
            return;
        await using var content = await reader.GetStreamAsync(0, ct);
        await content.CopyToAsync(destination, ct);
    }

    async Task RequireReadAsync(int patientUserId, CancellationToken ct)
    {
        var user = await currentUser.RequireAsync(Roles.Patient, Roles.Doctor);
        if (user.IsPatient)
        {
            if (user.Id != patientUserId)
                throw new AccessDeniedException(NotFound);
        }
        else
            await guard.RequireReadAsync(user, patientUserId, "documents", ct);
    }

    /// <summary>The name without any folder a browser or a crafted request put before it.</summary>
    static string? BaseName(string? fileName) => fileName?[(fileName.LastIndexOfAny(['/', '\\']) + 1)..];

    /// <summary>The whole content, or null as soon as it passes the limit (the rest is never read).</summary>
    async Task<byte[]?> ReadLimitedAsync(Stream content, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > settings.MaxBytes)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
