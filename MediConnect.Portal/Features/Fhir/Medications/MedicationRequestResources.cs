using Hl7.Fhir.Model;
using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Fhir.Medications;

/// <summary>
/// <c>MedicationRequest</c>: the prescriptions of the patients the caller may read, newest first.
/// Our statuses map to FHIR's: pending = draft (not yet started by the doctor); active, filled and
/// dispensed = active; completed; cancelled.
/// </summary>
public sealed class MedicationRequestResources(NpgsqlDataSource db) : IFhirResourceType
{
    sealed record Position(DateOnly Date, int Id);

    public static readonly IReadOnlyDictionary<string, MedicationRequest.MedicationrequestStatus> Statuses =
        new Dictionary<string, MedicationRequest.MedicationrequestStatus>
        {
            ["pending"] = MedicationRequest.MedicationrequestStatus.Draft,
            ["active"] = MedicationRequest.MedicationrequestStatus.Active,
            ["filled"] = MedicationRequest.MedicationrequestStatus.Active,
            ["dispensed"] = MedicationRequest.MedicationrequestStatus.Active,
            ["completed"] = MedicationRequest.MedicationrequestStatus.Completed,
            ["cancelled"] = MedicationRequest.MedicationrequestStatus.Cancelled,
        };

    const string RowsSql = $"""
        SELECT rx.id, rx.patient_id, pu.name AS patient_name, rx.doctor_id, du.name AS doctor_name, rx.medication,
               rx.dosage, rx.frequency, rx.duration, rx.quantity, rx.refills, rx.pharmacy, rx.status, rx.instructions,
               rx.cancellation_reason, rx.prescribed_date, rx.expiration_date, rx.updated_at
        FROM prescriptions rx
        JOIN users pu ON pu.id = rx.patient_id
        JOIN users du ON du.id = rx.doctor_id
        WHERE rx.patient_id IN ({Security.CareTeam.ReadablePatientsSql})
        """;

    public string Name => "MedicationRequest";
    public bool IsPatientData => true;

    public IReadOnlyList<SearchParameter> SearchParameters { get; } =
    [
        new("patient", SearchParamType.Reference, "The patient (Patient/{id}); several separated by commas."),
        new("status", SearchParamType.Token, "draft, active, completed or cancelled; several separated by commas."),
    ];

    public async Task<FhirRead?> ReadAsync(string id, PatientAccess access, CancellationToken ct)
    {
        if (FhirIds.Numeric(id) is not { } prescriptionId)
            return null;
        var row = await db.QueryOneAsync<PrescriptionRow>($"{RowsSql}\n  AND rx.id = @prescriptionId",
            new { access.ViewerId, access.ReadsSelf, access.ReadsCareTeam, prescriptionId }, ct);
        return row is null ? null : new FhirRead(PrescriptionMapping.Map(row), row.PatientId);
    }

    public async Task<SearchPage> SearchAsync(FhirQuery query, PatientAccess access, CancellationToken ct)
    {
        var count = query.Count;
        var where = new SqlWhere(access).Page(count);

        var patients = query.References("patient", "Patient");
        if (patients.Count > 0)
            where.And($"rx.patient_id = ANY({where.Bind(patients.ToArray())})");

        var statuses = query.Tokens("status");
        if (statuses.Count > 0)
        {
            var known = Enum.GetValues<MedicationRequest.MedicationrequestStatus>().Select(Code).ToHashSet();
            if (statuses.FirstOrDefault(t => !known.Contains(t.Code)) is { } unknown)
                throw FhirException.BadParameter($"Unknown medication request status '{unknown.Code}': use draft, active, completed or cancelled.");
            var ours = Statuses.Where(s => statuses.Any(t => t.Matches("http://hl7.org/fhir/CodeSystem/medicationrequest-status", Code(s.Value))))
                .Select(s => s.Key).ToArray();
            where.And($"rx.status = ANY({where.Bind(ours)})");
        }

        if (FhirCursor.Decode<Position>(query.Cursor) is { } after)
            where.And($"(rx.prescribed_date, rx.id) < ({where.Bind(after.Date)}, {where.Bind(after.Id)})");

        var sql = $"""
            {RowsSql}
              AND {where}
            ORDER BY rx.prescribed_date DESC, rx.id DESC
            LIMIT @limit
            """;
        var rows = await db.QueryListAsync<PrescriptionRow>(sql, where.Args, ct);
        return SearchPage.From(rows, count, PrescriptionMapping.Map, r => r.PatientId, r => new Position(r.PrescribedDate, r.Id));
    }

    static string Code(MedicationRequest.MedicationrequestStatus status) => Hl7.Fhir.Utility.EnumUtility.GetLiteral(status)!;
}
