using Hl7.Fhir.Model;
using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Fhir.Documents;

/// <summary>A document's row for the API: no content (that is the <c>Binary</c>).</summary>
public sealed record FhirDocumentRow(int Id, int PatientId, string PatientName, int UploadedBy, string UploadedByName, string UploadedByRole,
    string FileName, string? Description, string ContentType, int SizeBytes, DateTime CreatedAt);

/// <summary>
/// <c>DocumentReference</c>: the documents (PDFs and images) on the records of the patients the
/// caller may read, newest first. The content is the <c>Binary</c> of the same id
/// (<see cref="BinaryResources"/>), linked from <c>content.attachment.url</c>.
/// </summary>
public sealed class DocumentReferenceResources(NpgsqlDataSource db) : IFhirResourceType
{
    sealed record Position(DateTime CreatedAt, int Id);

    public const string RowsSql = $"""
        SELECT d.id, d.patient_id, pu.name AS patient_name, d.uploaded_by, au.name AS uploaded_by_name, au.role AS uploaded_by_role,
               d.file_name, d.description, d.content_type, d.size_bytes, d.created_at
        FROM patient_documents d
        JOIN users pu ON pu.id = d.patient_id
        JOIN users au ON au.id = d.uploaded_by
        WHERE d.patient_id IN ({Security.CareTeam.ReadablePatientsSql})
        """;

    public string Name => "DocumentReference";
    public bool IsPatientData => true;

    public IReadOnlyList<SearchParameter> SearchParameters { get; } =
    [
        new("patient", SearchParamType.Reference, "The patient (Patient/{id}); several separated by commas."),
    ];

    public async Task<FhirRead?> ReadAsync(string id, PatientAccess access, CancellationToken ct)
    {
        if (FhirIds.Numeric(id) is not { } documentId)
            return null;
        var row = await db.QueryOneAsync<FhirDocumentRow>($"{RowsSql}\n  AND d.id = @documentId",
            new { access.ViewerId, access.ReadsSelf, access.ReadsCareTeam, documentId }, ct);
        return row is null ? null : new FhirRead(Map(row), row.PatientId);
    }

    public async Task<SearchPage> SearchAsync(FhirQuery query, PatientAccess access, CancellationToken ct)
    {
        var count = query.Count;
        var where = new SqlWhere(access).Page(count);
        var patients = query.References("patient", "Patient");
        if (patients.Count > 0)
            where.And($"d.patient_id = ANY({where.Bind(patients.ToArray())})");
        if (FhirCursor.Decode<Position>(query.Cursor) is { } after)
            where.And($"(d.created_at, d.id) < ({where.Bind(after.CreatedAt)}, {where.Bind(after.Id)})");
        var sql = $"""
            {RowsSql}
              AND {where}
            ORDER BY d.created_at DESC, d.id DESC
            LIMIT @limit
            """;
        var rows = await db.QueryListAsync<FhirDocumentRow>(sql, where.Args, ct);
        return SearchPage.From(rows, count, Map, r => r.PatientId, r => new Position(r.CreatedAt, r.Id));
    }

    public static DocumentReference Map(FhirDocumentRow row) => new()
    {
        Id = FhirIds.Text(row.Id),
        Meta = new Meta { LastUpdated = FhirIds.Utc(row.CreatedAt) },
        Status = DocumentReferenceStatus.Current,
        Subject = new ResourceReference($"Patient/{row.PatientId}", row.PatientName),
        Date = FhirIds.Utc(row.CreatedAt),
        Author = [new ResourceReference(
            row.UploadedByRole == Roles.Doctor ? $"Practitioner/{row.UploadedBy}" : $"Patient/{row.UploadedBy}", row.UploadedByName)],
        Description = row.Description,
        Content =
        [
            new DocumentReference.ContentComponent
            {
                Attachment = new Attachment
                {
                    ContentType = row.ContentType,
                    Url = $"Binary/{row.Id}",
                    SizeUnsignedInt = row.SizeBytes, // R4 unsignedInt; Size is R5's integer64, a JSON string
                    Title = row.FileName,
                    CreationElement = new FhirDateTime(FhirIds.Utc(row.CreatedAt)),
                },
            },
        ],
    };
}
