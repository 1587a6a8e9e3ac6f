using System.Globalization;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Fhir.Observations;

/// <summary>
/// <c>Observation</c>: every measure of every <c>vital_signs</c> row the caller may read, one
/// Observation each. A search is one keyset range over
/// <c>vital_signs (patient_id, recorded_at DESC)</c>, newest first unless <c>_sort=date</c>.
/// </summary>
public sealed partial class ObservationResources(NpgsqlDataSource db, TimeProvider time) : IFhirResourceType
{
    sealed record Position(DateTime At, int Id, int Ord);

    // One row per measure taken: the ordinals are those of VitalSignCode.
    const string RowsSql = $"""
        SELECT v.id, v.recorded_at, v.created_at, p.user_id AS patient_user_id, m.ordinal,
               v.heart_rate, v.blood_pressure, v.temperature, v.oxygen_saturation, v.respiratory_rate,
               v.weight, v.height, v.glucose_level, v.device_source, v.notes, v.recorded_by, rb.role AS recorded_by_role
        FROM vital_signs v
        JOIN patients p ON p.id = v.patient_id
        LEFT JOIN users rb ON rb.id = v.recorded_by
        CROSS JOIN LATERAL (VALUES (1, v.heart_rate IS NOT NULL), (2, v.blood_pressure IS NOT NULL),
                                   (3, v.temperature IS NOT NULL), (4, v.oxygen_saturation IS NOT NULL),
                                   (5, v.respiratory_rate IS NOT NULL), (6, v.glucose_level IS NOT NULL),
                                   (7, v.weight IS NOT NULL), (8, v.height IS NOT NULL)) AS m(ordinal, taken)
        WHERE m.taken
          AND p.user_id IN ({Security.CareTeam.ReadablePatientsSql})
        """;

    public string Name => "Observation";
    public bool IsPatientData => true;

    public IReadOnlyList<SearchParameter> SearchParameters { get; } =
    [
        new("patient", SearchParamType.Reference, "The patient the readings are of (Patient/{id}); several separated by commas."),
        new("code", SearchParamType.Token, "LOINC code, e.g. http://loinc.org|8867-4 (heart rate), 85354-9 (blood pressure panel), 8310-5, 59408-5, 9279-1, 2339-0, 29463-7, 8302-2."),
        new("category", SearchParamType.Token, "vital-signs (every Observation here is one)."),
        new("date", SearchParamType.Date, "When the reading was taken; repeat for a range, e.g. date=ge2025-01-01&date=lt2025-02-01. Prefixes eq, ge, gt, le, lt, sa, eb."),
        new("_sort", SearchParamType.Special, "date (oldest first) or -date (newest first, the default)."),
    ];

    public IReadOnlyList<string> Profiles => [.. VitalSignCode.All.Select(c => c.Profile).Distinct()];

    public async Task<FhirRead?> ReadAsync(string id, PatientAccess access, CancellationToken ct)
    {
        var match = IdShape().Match(id);
        if (!match.Success || VitalSignCode.BySlug(match.Groups[2].Value) is not { } code
            || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var readingId))
            return null;
        const string sql = $"""
            {RowsSql}
              AND v.id = @readingId AND m.ordinal = @ordinal
            """;
        var row = await db.QueryOneAsync<VitalSignRow>(sql, new { access.ViewerId, access.ReadsSelf, access.ReadsCareTeam, readingId, ordinal = code.Ordinal }, ct);
        return row is null ? null : new FhirRead(VitalSignObservation.Map(row), row.PatientUserId);
    }

    public async Task<SearchPage> SearchAsync(FhirQuery query, PatientAccess access, CancellationToken ct)
    {
        var count = query.Count;
        var newestFirst = query.Single("_sort") switch
        {
            null or "-date" => true,
            "date" => false,
            var other => throw FhirException.BadParameter($"_sort={other} is not supported for Observation: use date or -date."),
        };
        var where = new SqlWhere(access).Page(count);

        var patients = query.References("patient", "Patient");
        if (patients.Count > 0)
            where.And($"p.user_id = ANY({where.Bind(patients.ToArray())})");

        var codes = query.Tokens("code");
        if (codes.Count > 0)
        {
            var ordinals = VitalSignCode.All.Where(c => codes.Any(c.Matches)).Select(c => c.Ordinal).ToArray();
            if (ordinals.Length == 0)
                return SearchPage.Empty;
            where.And($"m.ordinal = ANY({where.Bind(ordinals)})");
        }

        var categories = query.Tokens("category");
        if (categories.Count > 0 && !categories.Any(c => c.Matches("http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs")))
            return SearchPage.Empty;

        where.Within("v.recorded_at", query.Dates("date", time.LocalTimeZone), d => d.UtcDateTime);

        if (FhirCursor.Decode<Position>(query.Cursor) is { } after)
        {
            var at = where.Bind(DateTime.SpecifyKind(after.At, DateTimeKind.Utc));
            // The plain bound lets PostgreSQL start the index range there; the row comparison breaks ties.
            where.And(newestFirst
                ? $"v.recorded_at <= {at} AND (v.recorded_at, v.id, m.ordinal) < ({at}, {where.Bind(after.Id)}, {where.Bind(after.Ord)})"
                : $"v.recorded_at >= {at} AND (v.recorded_at, v.id, m.ordinal) > ({at}, {where.Bind(after.Id)}, {where.Bind(after.Ord)})");
        }

        var direction = newestFirst ? "DESC" : "ASC";
        var sql = $"""
            {RowsSql}
              AND {where}
            ORDER BY v.recorded_at {direction}, v.id {direction}, m.ordinal {direction}
            LIMIT @limit
            """;
        var rows = await db.QueryListAsync<VitalSignRow>(sql, where.Args, ct);
        return SearchPage.From(rows, count, VitalSignObservation.Map, r => r.PatientUserId, r => new Position(r.RecordedAt, r.Id, r.Ordinal));
    }

    [GeneratedRegex("^([0-9]{1,9})-([a-z-]{1,40})$")]
    private static partial Regex IdShape();
}
