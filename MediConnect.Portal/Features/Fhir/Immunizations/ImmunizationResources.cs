using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Immunizations;
using Npgsql;

namespace MediConnect.Portal.Features.Fhir.Immunizations;

/// <summary>
/// <c>Immunization</c>: the doses of the patients the caller may read, newest first. A dose given at
/// the clinic is primarySource true with its doctor as the administering provider; one the patient
/// reported is primarySource false, reportOrigin "recall" (the patient's word) until a doctor
/// confirms it, then "record" (the doctor saw the written record).
/// </summary>
public sealed partial class ImmunizationResources(NpgsqlDataSource db) : IFhirResourceType
{
    sealed record Position(DateOnly Date, int Id);

    public const string CvxSystem = "http://hl7.org/fhir/sid/cvx";
    const string OriginSystem = "http://terminology.hl7.org/CodeSystem/immunization-origin";

    const string RowsSql = $"""
        {ImmunizationRow.SelectSql}
        WHERE i.patient_id IN ({Security.CareTeam.ReadablePatientsSql})
        """;

    public string Name => "Immunization";
    public bool IsPatientData => true;

    public IReadOnlyList<SearchParameter> SearchParameters { get; } =
    [
        new("patient", SearchParamType.Reference, "The patient (Patient/{id}); several separated by commas."),
    ];

    public async Task<FhirRead?> ReadAsync(string id, PatientAccess access, CancellationToken ct)
    {
        if (FhirIds.Numeric(id) is not { } immunizationId)
            return null;
        var row = await db.QueryOneAsync<ImmunizationRow>($"{RowsSql}\n  AND i.id = @immunizationId",
            new { access.ViewerId, access.ReadsSelf, access.ReadsCareTeam, immunizationId }, ct);
        return row is null ? null : new FhirRead(Map(row), row.PatientId);
    }

    public async Task<SearchPage> SearchAsync(FhirQuery query, PatientAccess access, CancellationToken ct)
    {
        var count = query.Count;
        var where = new SqlWhere(access).Page(count);
        var patients = query.References("patient", "Patient");
        if (patients.Count > 0)
            where.And($"i.patient_id = ANY({where.Bind(patients.ToArray())})");
        if (FhirCursor.Decode<Position>(query.Cursor) is { } after)
            where.And($"(i.administered_on, i.id) < ({where.Bind(after.Date)}, {where.Bind(after.Id)})");
        var sql = $"""
            {RowsSql}
              AND {where}
            ORDER BY i.administered_on DESC, i.id DESC
            LIMIT @limit
            """;
        var rows = await db.QueryListAsync<ImmunizationRow>(sql, where.Args, ct);
        return SearchPage.From(rows, count, Map, r => r.PatientId, r => new Position(r.AdministeredOn, r.Id));
    }

    public static Immunization Map(ImmunizationRow row)
    {
        var immunization = new Immunization
        {
            Id = FhirIds.Text(row.Id),
            Meta = new Meta { LastUpdated = FhirIds.Utc(row.UpdatedAt) },
            Status = Immunization.ImmunizationStatusCodes.Completed,
            VaccineCode = new CodeableConcept(CvxSystem, row.CvxCode, row.VaccineName, row.VaccineName),
            Patient = new ResourceReference($"Patient/{row.PatientId}", row.PatientName),
            Occurrence = new FhirDateTime(row.AdministeredOn.Year, row.AdministeredOn.Month, row.AdministeredOn.Day),
            PrimarySource = !row.IsReported,
            LotNumber = row.LotNumber,
            Site = row.Site is null ? null : new CodeableConcept { Text = row.Site },
        };
        if (row.IsReported)
            immunization.ReportOrigin = row.ConfirmedBy is null
                ? new CodeableConcept(OriginSystem, "recall", "Parent/Guardian/Patient Recall", "Reported by the patient")
                : new CodeableConcept(OriginSystem, "record", "Written Record", $"Reported by the patient, confirmed by {row.ConfirmedByName}");
        if (row.GivenBy is { } doctor)
            immunization.Performer.Add(new Immunization.PerformerComponent
            {
                Function = new CodeableConcept("http://terminology.hl7.org/CodeSystem/v2-0443", "AP", "Administering Provider"),
                Actor = new ResourceReference($"Practitioner/{doctor}", row.GivenByName),
            });
        if (row.DoseNumber is { } dose)
            immunization.ProtocolApplied.Add(new Immunization.ProtocolAppliedComponent { DoseNumber = new PositiveInt(dose) });
        if (row.GivenAt is not null)
            immunization.Note.Add(new Annotation { Text = AsText($"Given at: {row.GivenAt}") });
        if (row.Notes is not null)
            immunization.Note.Add(new Annotation { Text = AsText(row.Notes) });
        return immunization;
    }

    /// <summary>Annotation.text is markdown: what people typed goes out escaped, so a client shows it as text, never as a link, image or markup.</summary>
    static Markdown AsText(string text) => new(MarkdownSyntax().Replace(text, @"\$0"));

    [GeneratedRegex(@"[\\`*_\[\]<>#|~!]")]
    private static partial Regex MarkdownSyntax();
}
