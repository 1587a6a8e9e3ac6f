using Hl7.Fhir.Model;
using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Fhir.Practitioners;

/// <summary>
/// <c>Practitioner</c>: the clinic's doctors, id = <c>users.id</c>. Anyone with a token whose scope
/// covers Practitioner may read any doctor (patients see every doctor when booking, too); no
/// patient's data is in it, so reads are not chart reads.
/// </summary>
public sealed class PractitionerResources(NpgsqlDataSource db) : IFhirResourceType
{
    sealed record PractitionerRow(int Id, string Name, string Email, string? Phone, string? Specialization, bool IsActive, DateTime UpdatedAt);

    sealed record Position(int Id);

    const string RowsSql = """
        SELECT u.id, u.name, u.email, u.phone, u.specialization, u.is_active, u.updated_at
        FROM users u
        WHERE u.role = 'doctor'
        """;

    public string Name => "Practitioner";
    public bool IsPatientData => false;
    public IReadOnlyList<SearchParameter> SearchParameters => [];

    public async Task<FhirRead?> ReadAsync(string id, PatientAccess access, CancellationToken ct)
    {
        if (FhirIds.Numeric(id) is not { } userId)
            return null;
        var row = await db.QueryOneAsync<PractitionerRow>($"{RowsSql}\n  AND u.id = @userId", new { userId }, ct);
        return row is null ? null : new FhirRead(Map(row), null);
    }

    public Task<SearchPage> SearchAsync(FhirQuery query, PatientAccess access, CancellationToken ct) =>
        throw FhirException.NotSupported("Practitioner is read by id only.", StatusCodes.Status405MethodNotAllowed);

    /// <summary>The doctors who have seen or treated a readable patient: the Practitioners a <c>$everything</c> export includes.</summary>
    public async Task<SearchPage> OfPatientAsync(int patientUserId, PatientAccess access, int count, string? cursor, CancellationToken ct)
    {
        var where = new SqlWhere(access).Page(count);
        where.And($"""
            u.id IN (SELECT doctor_id FROM appointments WHERE patient_id = {where.Bind(patientUserId)}
                     UNION SELECT doctor_id FROM prescriptions WHERE patient_id = {where.Bind(patientUserId)})
            """);
        where.And($"{where.Bind(patientUserId)} IN ({Security.CareTeam.ReadablePatientsSql})");
        if (FhirCursor.Decode<Position>(cursor) is { } after)
            where.And($"u.id > {where.Bind(after.Id)}");
        var rows = await db.QueryListAsync<PractitionerRow>($"{RowsSql}\n  AND {where}\nORDER BY u.id\nLIMIT @limit", where.Args, ct);
        return SearchPage.From(rows, count, Map, _ => patientUserId, r => new Position(r.Id));
    }

    static Practitioner Map(PractitionerRow row)
    {
        var practitioner = new Practitioner
        {
            Id = FhirIds.Text(row.Id),
            Meta = new Meta { LastUpdated = FhirIds.Utc(row.UpdatedAt) },
            Active = row.IsActive,
            Name = [FhirIds.Name(row.Name)],
            Telecom = [new ContactPoint(ContactPoint.ContactPointSystem.Email, ContactPoint.ContactPointUse.Work, row.Email)],
        };
        if (!string.IsNullOrWhiteSpace(row.Phone))
            practitioner.Telecom.Insert(0, new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Work, row.Phone));
        if (!string.IsNullOrWhiteSpace(row.Specialization))
            practitioner.Qualification = [new Practitioner.QualificationComponent { Code = new CodeableConcept { Text = row.Specialization } }];
        return practitioner;
    }
}
