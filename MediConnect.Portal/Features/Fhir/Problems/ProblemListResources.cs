using Hl7.Fhir.Model;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.ProblemList;
using Npgsql;

namespace MediConnect.Portal.Features.Fhir.Problems;

/// <summary>
/// A resource per row of one of the structured lists a doctor keeps on the chart
/// (<c>patient_problems</c>, <c>patient_allergies</c>), ids the row ids, searched by patient and
/// paged by (patient, id).
/// </summary>
public abstract class ProblemListResources<TRow>(NpgsqlDataSource db) : IFhirResourceType
{
    sealed record Position(int Patient, int Id);

    /// <summary>The list's SELECT, and the alias of its table in it.</summary>
    protected abstract string SelectSql { get; }
    protected abstract string Alias { get; }

    public abstract string Name { get; }
    public bool IsPatientData => true;

    public IReadOnlyList<SearchParameter> SearchParameters { get; } =
    [
        new("patient", SearchParamType.Reference, "The patient (Patient/{id}); several separated by commas."),
    ];

    protected abstract Resource Map(TRow row);
    protected abstract int PatientOf(TRow row);
    protected abstract int IdOf(TRow row);

    string RowsSql => $"""
        {SelectSql}
        WHERE {Alias}.patient_id IN ({Security.CareTeam.ReadablePatientsSql})
        """;

    public async Task<FhirRead?> ReadAsync(string id, PatientAccess access, CancellationToken ct)
    {
        if (FhirIds.Numeric(id) is not { } rowId)
            return null;
        var row = await db.QueryOneAsync<TRow>($"{RowsSql}\n  AND {Alias}.id = @rowId",
            new { access.ViewerId, access.ReadsSelf, access.ReadsCareTeam, rowId }, ct);
        return row is null ? null : new FhirRead(Map(row), PatientOf(row));
    }

    public async Task<SearchPage> SearchAsync(FhirQuery query, PatientAccess access, CancellationToken ct)
    {
        var count = query.Count;
        var where = new SqlWhere(access).Page(count);
        var patients = query.References("patient", "Patient");
        if (patients.Count > 0)
            where.And($"{Alias}.patient_id = ANY({where.Bind(patients.ToArray())})");
        if (FhirCursor.Decode<Position>(query.Cursor) is { } after)
            where.And($"({Alias}.patient_id, {Alias}.id) > ({where.Bind(after.Patient)}, {where.Bind(after.Id)})");
        var sql = $"""
            {RowsSql}
              AND {where}
            ORDER BY {Alias}.patient_id, {Alias}.id
            LIMIT @limit
            """;
        var rows = await db.QueryListAsync<TRow>(sql, where.Args, ct);
        return SearchPage.From(rows, count, Map, PatientOf, r => new Position(PatientOf(r), IdOf(r)));
    }

    protected static ResourceReference? Recorder(int? recordedBy, string? name) =>
        recordedBy is { } id ? new ResourceReference($"Practitioner/{FhirIds.Text(id)}", name) : null;
}

/// <summary>
/// <c>AllergyIntolerance</c>: each allergy on the patient's structured list: the substance as text,
/// the reaction as its manifestation, criticality from the severity (severe: high), active or inactive.
/// </summary>
public sealed class AllergyIntoleranceResources(NpgsqlDataSource db) : ProblemListResources<AllergyRow>(db)
{
    public override string Name => "AllergyIntolerance";
    protected override string SelectSql => AllergyRow.SelectSql;
    protected override string Alias => "a";
    protected override int PatientOf(AllergyRow row) => row.PatientId;
    protected override int IdOf(AllergyRow row) => row.Id;

    protected override Resource Map(AllergyRow row)
    {
        var allergy = new AllergyIntolerance
        {
            Id = FhirIds.Text(row.Id),
            Meta = new Meta { LastUpdated = FhirIds.Utc(row.UpdatedAt) },
            ClinicalStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", row.Status),
            VerificationStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", "confirmed"),
            Code = new CodeableConcept { Text = row.Substance },
            Patient = new ResourceReference($"Patient/{FhirIds.Text(row.PatientId)}"),
            Recorder = Recorder(row.RecordedBy, row.RecordedByName),
            Criticality = row.Severity switch
            {
                "severe" => AllergyIntolerance.AllergyIntoleranceCriticality.High,
                "mild" or "moderate" => AllergyIntolerance.AllergyIntoleranceCriticality.Low,
                _ => null,
            },
        };
        if (!string.IsNullOrWhiteSpace(row.Reaction))
            allergy.Reaction =
            [
                new AllergyIntolerance.ReactionComponent
                {
                    Manifestation = [new CodeableConcept { Text = row.Reaction }],
                    Severity = row.Severity switch
                    {
                        "mild" => AllergyIntolerance.AllergyIntoleranceSeverity.Mild,
                        "moderate" => AllergyIntolerance.AllergyIntoleranceSeverity.Moderate,
                        "severe" => AllergyIntolerance.AllergyIntoleranceSeverity.Severe,
                        _ => null,
                    },
                },
            ];
        return allergy;
    }
}

/// <summary>
/// <c>Condition</c>: each problem on the patient's problem list (category problem-list-item), ICD-10-CM
/// coded or, not coded yet, text only; active, or resolved with its date as abatement.
/// </summary>
public sealed class ConditionResources(NpgsqlDataSource db) : ProblemListResources<ProblemRow>(db)
{
    public const string Icd10CmSystem = "http://hl7.org/fhir/sid/icd-10-cm";

    public override string Name => "Condition";
    protected override string SelectSql => ProblemRow.SelectSql;
    protected override string Alias => "pp";
    protected override int PatientOf(ProblemRow row) => row.PatientId;
    protected override int IdOf(ProblemRow row) => row.Id;

    protected override Resource Map(ProblemRow row) => new Condition
    {
        Id = FhirIds.Text(row.Id),
        Meta = new Meta { LastUpdated = FhirIds.Utc(row.UpdatedAt) },
        ClinicalStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-clinical", row.Status),
        VerificationStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed"),
        Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item", "Problem List Item", "Problem list item")],
        Code = row.Icd10Code is { } code
            ? new CodeableConcept(Icd10CmSystem, code, row.Icd10Title, row.Description)
            : new CodeableConcept { Text = row.Description },
        Subject = new ResourceReference($"Patient/{FhirIds.Text(row.PatientId)}"),
        Onset = row.OnsetDate is { } onset ? new FhirDateTime(onset.Year, onset.Month, onset.Day) : null,
        Abatement = row.ResolvedDate is { } resolved ? new FhirDateTime(resolved.Year, resolved.Month, resolved.Day) : null,
        Recorder = Recorder(row.RecordedBy, row.RecordedByName),
    };
}
