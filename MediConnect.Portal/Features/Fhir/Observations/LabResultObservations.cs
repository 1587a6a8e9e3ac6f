using System.Globalization;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Labs;
using Npgsql;

namespace MediConnect.Portal.Features.Fhir.Observations;

/// <summary>
/// The <c>lab_results</c> rows the caller may read as laboratory Observations: LOINC code, UCUM
/// quantity, the range that applied and the stored flag as interpretation, specimen time as
/// effective, result time as issued, the ordering doctor as performer. Ids are <c>lab-{id}</c>, a
/// shape no vital-sign Observation id (<c>{reading id}-{measure}</c>) can take.
/// </summary>
public sealed partial class LabResultObservations(NpgsqlDataSource db)
{
    public const string Category = "laboratory";
    const string InterpretationSystem = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";

    const string RowsSql = $"""
        {LabResultRow.SelectSql}
        WHERE r.patient_id IN ({Security.CareTeam.ReadablePatientsSql})
        """;

    public static string IdOf(int resultId) => "lab-" + FhirIds.Text(resultId);

    public async Task<FhirRead?> ReadAsync(string id, PatientAccess access, CancellationToken ct)
    {
        var match = IdShape().Match(id);
        if (!match.Success || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var resultId))
            return null;
        var row = await db.QueryOneAsync<LabResultRow>($"{RowsSql}\n  AND r.id = @resultId",
            new { access.ViewerId, access.ReadsSelf, access.ReadsCareTeam, resultId }, ct);
        return row is null ? null : new FhirRead(Map(row), row.PatientId);
    }

    /// <summary>
    /// One page of results (and one row more), <paramref name="codes"/> (LOINC) narrowing them when given,
    /// after <paramref name="after"/> (specimen time, id) in the order asked for.
    /// </summary>
    public async Task<IReadOnlyList<LabResultRow>> RowsAsync(SqlWhere where, IReadOnlyList<int> patients, IReadOnlyList<SearchToken> codes,
        IReadOnlyList<DateBound> dates, bool newestFirst, (DateTime At, int Id)? after, int count, CancellationToken ct)
    {
        where.Page(count);
        if (patients.Count > 0)
            where.And($"r.patient_id = ANY({where.Bind(patients.ToArray())})");
        if (codes.Count > 0)
        {
            var loinc = codes.Where(c => c.System is null || c.System == VitalSignCode.LoincSystem).Select(c => c.Code).ToArray();
            if (loinc.Length == 0)
                return [];
            where.And($"r.loinc_code = ANY({where.Bind(loinc)})");
        }
        where.Within("r.specimen_at", dates, d => d.UtcDateTime);
        var before = newestFirst ? "<" : ">";
        if (after is { } position)
            where.And($"(r.specimen_at, r.id) {before} ({where.Bind(DateTime.SpecifyKind(position.At, DateTimeKind.Utc))}, {where.Bind(position.Id)})");
        var direction = newestFirst ? "DESC" : "ASC";
        var sql = $"""
            {RowsSql}
              AND {where}
            ORDER BY r.specimen_at {direction}, r.id {direction}
            LIMIT @limit
            """;
        return await db.QueryListAsync<LabResultRow>(sql, where.Args, ct);
    }

    public static Observation Map(LabResultRow row)
    {
        var observation = new Observation
        {
            Id = IdOf(row.Id),
            Meta = new Meta { LastUpdated = FhirIds.Utc(row.ResultedAt) },
            Status = row.Status switch
            {
                "preliminary" => ObservationStatus.Preliminary,
                "corrected" => ObservationStatus.Corrected,
                _ => ObservationStatus.Final,
            },
            Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", Category, "Laboratory", "Laboratory")],
            Code = new CodeableConcept(VitalSignCode.LoincSystem, row.LoincCode, row.TestName, row.TestName),
            Subject = new ResourceReference($"Patient/{FhirIds.Text(row.PatientId)}"),
            Effective = new FhirDateTime(FhirIds.Utc(row.SpecimenAt)),
            Issued = FhirIds.Utc(row.ResultedAt),
            Performer = [new ResourceReference($"Practitioner/{FhirIds.Text(row.OrderingDoctorId)}", row.OrderingDoctorName)],
            Value = Quantity(row, row.Value),
        };
        if (row.RangeLow is not null || row.RangeHigh is not null)
            observation.ReferenceRange =
            [
                new Observation.ReferenceRangeComponent
                {
                    Low = row.RangeLow is { } low ? Quantity(row, low) : null,
                    High = row.RangeHigh is { } high ? Quantity(row, high) : null,
                },
            ];
        if (Interpretation(row.Flag) is { } interpretation)
            observation.Interpretation = [new CodeableConcept(InterpretationSystem, interpretation.Code, interpretation.Display, interpretation.Display)];
        return observation;
    }

    static Quantity Quantity(LabResultRow row, decimal value) =>
        new() { Value = value, Unit = row.Unit, System = VitalSignCode.UcumSystem, Code = row.Unit };

    static (string Code, string Display)? Interpretation(string? flag) => flag switch
    {
        LabFlags.Normal => ("N", "Normal"),
        LabFlags.Low => ("L", "Low"),
        LabFlags.High => ("H", "High"),
        LabFlags.CriticalLow => ("LL", "Critical low"),
        LabFlags.CriticalHigh => ("HH", "Critical high"),
        _ => null,
    };

    [GeneratedRegex("^lab-([0-9]{1,9})$")]
    private static partial Regex IdShape();
}
