using Hl7.Fhir.Model;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Documents;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Fhir.Documents;

/// <summary>
/// <c>Binary</c>: the content of a <c>DocumentReference</c> of the same id, read by id only, with
/// <c>securityContext</c> naming the patient. Each read is a download: besides the API's own
/// <c>fhir_read</c> row it is audited as <see cref="PatientDocuments.DownloadAction"/>, like a
/// download from the portal's pages, so the patient sees it among who read their documents.
/// </summary>
public sealed class BinaryResources(NpgsqlDataSource db) : IFhirResourceType
{
    sealed record BinaryRow(int Id, int PatientId, string ContentType, byte[] Content, DateTime CreatedAt);

    const string ReadSql = $"""
        SELECT d.id, d.patient_id, d.content_type, d.content, d.created_at
        FROM patient_documents d
        WHERE d.id = @documentId AND d.patient_id IN ({Security.CareTeam.ReadablePatientsSql})
        """;

    public string Name => "Binary";
    public bool IsPatientData => true;
    public IReadOnlyList<SearchParameter> SearchParameters => [];

    public async Task<FhirRead?> ReadAsync(string id, PatientAccess access, CancellationToken ct)
    {
        if (FhirIds.Numeric(id) is not { } documentId)
            return null;
        var row = await db.QueryOneAsync<BinaryRow>(ReadSql, new { access.ViewerId, access.ReadsSelf, access.ReadsCareTeam, documentId }, ct);
        if (row is null)
            return null;
        await AuditLog.WriteAsync(db, new AuditEntry(access.ViewerId, PatientDocuments.DownloadAction, PatientDocuments.EntityType,
            FhirIds.Text(row.Id), NewValues: new { patientId = row.PatientId, via = "fhir" }));
        return new FhirRead(new Binary
        {
            Id = FhirIds.Text(row.Id),
            Meta = new Meta { LastUpdated = FhirIds.Utc(row.CreatedAt) },
            ContentType = row.ContentType,
            SecurityContext = new ResourceReference($"Patient/{row.PatientId}"),
            Data = row.Content,
        }, row.PatientId);
    }

    public Task<SearchPage> SearchAsync(FhirQuery query, PatientAccess access, CancellationToken ct) =>
        throw FhirException.NotSupported("Binary is read by id only; search is not supported.", StatusCodes.Status405MethodNotAllowed);
}
