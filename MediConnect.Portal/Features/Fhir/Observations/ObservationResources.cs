using System.Globalization;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Fhir.Observations;

/// <summary>
/// <c>Observation</c>: every measure of every <c>vital_signs</c> row the caller may read, one
/// Observation each, and every lab result (<see cref="LabResultObservations"/>, category laboratory). A search first takes one page's worth of readings as a keyset range over
/// <c>vital_signs (patient_id, recorded_at DESC)</c>, newest first unless <c>_sort=date</c>, and only
/// then turns them into measures: a page never expands a patient's whole history.
/// </summary>
public sealed partial class ObservationResources(NpgsqlDataSource db, TimeProvider time) : IFhirResourceType
{
    /// <summary>Where a page ended: a vital-sign measure, or with <see cref="Lab"/> a lab result (no <see cref="At"/>: the first).</summary>
    sealed record Position(DateTime? At, int Id, int Ord, bool Lab);

    const string CategorySystem = "http://terminology.hl7.org/CodeSystem/observation-category";

    readonly LabResultObservations labResults = new(db);

    static readonly string MeasuresTaken = string.Join(", ", VitalSignCode.All.Select(c => $"({c.Ordinal}, v.{c.Column} IS NOT NULL)"));

    /// <summary>
    /// The readings matching <paramref name="readingsWhere"/> (on <c>v</c> and <c>p</c>, then
    /// <paramref name="readingsTail"/>: order and limit), as one row per measure (<c>m.ordinal</c>,
    /// <c>m.taken</c>) that matches <paramref name="measuresWhere"/>, then <paramref name="tail"/>.
    /// </summary>
    static string Sql(string readingsWhere, string readingsTail, string measuresWhere, string tail) => $"""
        WITH readings AS (
            SELECT v.*, p.user_id AS patient_user_id
            FROM vital_signs v
            JOIN patients p ON p.id = v.patient_id
            WHERE p.user_id IN ({Security.CareTeam.ReadablePatientsSql})
              AND {readingsWhere}
            {readingsTail}
        )
        SELECT v.id, v.recorded_at, v.created_at, v.patient_user_id, m.ordinal,
               v.heart_rate, v.blood_pressure, v.temperature, v.oxygen_saturation, v.respiratory_rate,
               v.weight, v.height, v.glucose_level, v.device_source, v.notes, v.recorded_by, rb.role AS recorded_by_role
        FROM readings v
        LEFT JOIN users rb ON rb.id = v.recorded_by
        CROSS JOIN LATERAL (VALUES {MeasuresTaken}) AS m(ordinal, taken)
        WHERE {measuresWhere}
        {tail}
        """;

    public string Name => "Observation";
    public bool IsPatientData => true;

    public IReadOnlyList<SearchParameter> SearchParameters { get; } =
    [
        new("patient", SearchParamType.Reference, "The patient the readings are of (Patient/{id}); several separated by commas."),
        new("code", SearchParamType.Token, "LOINC code, e.g. http://loinc.org|8867-4 (heart rate), 85354-9 (blood pressure panel), 8310-5, 59408-5, 9279-1, 2339-0, 29463-7, 8302-2 for vital signs, or a laboratory test's code such as 2823-3 (potassium)."),
        new("category", SearchParamType.Token, "vital-signs or laboratory; without it both (vital signs first)."),
        new("date", SearchParamType.Date, "When the reading was taken or the specimen collected; repeat for a range, e.g. date=ge2025-01-01&date=lt2025-02-01. Prefixes eq, ge, gt, le, lt, sa, eb."),
        new("_sort", SearchParamType.Special, "date (oldest first) or -date (newest first, the default), within vital signs and within laboratory results."),
    ];

    public IReadOnlyList<string> Profiles => [.. VitalSignCode.All.Select(c => c.Profile).Distinct()];

    public async Task<FhirRead?> ReadAsync(string id, PatientAccess access, CancellationToken ct)
    {
        if (id.StartsWith("lab-", StringComparison.Ordinal))
            return await labResults.ReadAsync(id, access, ct);
        var match = IdShape().Match(id);
        if (!match.Success || VitalSignCode.BySlug(match.Groups[2].Value) is not { } code
            || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var readingId))
            return null;
        var sql = Sql("v.id = @readingId", "", "m.taken AND m.ordinal = @ordinal", "");
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
        var patients = query.References("patient", "Patient");
        var codes = query.Tokens("code");
        var dates = query.Dates("date", time.LocalTimeZone);
        var categories = query.Tokens("category");
        var vitals = categories.Count == 0 || categories.Any(c => c.Matches(CategorySystem, "vital-signs"));
        var labs = categories.Count == 0 || categories.Any(c => c.Matches(CategorySystem, LabResultObservations.Category));
        var after = FhirCursor.Decode<Position>(query.Cursor);

        // Vital signs first, then laboratory results; the cursor says which part it is in.
        var page = SearchPage.Empty;
        if (vitals && after?.Lab != true)
        {
            page = await SearchVitalsAsync(access, patients, codes, dates, newestFirst, after, count, ct);
            if (page.NextCursor is not null || !labs)
                return page;
            if (page.Resources.Count == count)
                return page with { NextCursor = FhirCursor.Encode(new Position(null, 0, 0, Lab: true)) };
        }
        if (!labs)
            return page;
        var rest = count - page.Resources.Count;
        var labAfter = after is { Lab: true, At: { } at } ? (at, after.Id) : ((DateTime, int)?)null;
        var rows = await labResults.RowsAsync(new SqlWhere(access), patients, codes, dates, newestFirst, labAfter, rest, ct);
        var labPage = SearchPage.From(rows, rest, LabResultObservations.Map, r => r.PatientId, r => new Position(r.SpecimenAt, r.Id, 0, Lab: true));
        return new SearchPage([.. page.Resources, .. labPage.Resources], labPage.NextCursor, page.PatientIds.Union(labPage.PatientIds).ToHashSet());
    }

    async Task<SearchPage> SearchVitalsAsync(PatientAccess access, IReadOnlyList<int> patients, IReadOnlyList<SearchToken> codes,
        IReadOnlyList<DateBound> dates, bool newestFirst, Position? after, int count, CancellationToken ct)
    {
        var where = new SqlWhere(access).Page(count);
        var measures = new List<string> { "m.taken" };

        if (patients.Count == 1) // a plain value, so PostgreSQL reads the patient's readings in index order and stops after a page
            where.And($"v.patient_id = (SELECT id FROM patients WHERE user_id = {where.Bind(patients[0])})");
        else if (patients.Count > 1)
            where.And($"p.user_id = ANY({where.Bind(patients.ToArray())})");

        if (codes.Count > 0)
        {
            var wanted = VitalSignCode.All.Where(c => codes.Any(c.Matches)).ToList();
            if (wanted.Count == 0)
                return SearchPage.Empty;
            where.And("(" + string.Join(" OR ", wanted.Select(c => $"v.{c.Column} IS NOT NULL")) + ")");
            measures.Add($"m.ordinal = ANY({where.Bind(wanted.Select(c => c.Ordinal).ToArray())})");
        }

        where.Within("v.recorded_at", dates, d => d.UtcDateTime);

        var before = newestFirst ? "<" : ">";
        if (after is { At: { } afterAt })
        {
            var (at, id) = (where.Bind(DateTime.SpecifyKind(afterAt, DateTimeKind.Utc)), where.Bind(after.Id));
            // The reading of the last page's last measure may have measures left, so it is read again.
            where.And($"v.recorded_at {before}= {at} AND (v.recorded_at, v.id) {before}= ({at}, {id})");
            measures.Add($"(v.recorded_at, v.id, m.ordinal) {before} ({at}, {id}, {where.Bind(after.Ord)})");
        }

        var direction = newestFirst ? "DESC" : "ASC";
        // A page of measures comes from at most one reading more than the page has rows: each reading has a wanted measure.
        var sql = Sql(
            where.ToString(), $"ORDER BY v.recorded_at {direction}, v.id {direction} LIMIT @limit + 1",
            string.Join(" AND ", measures), $"ORDER BY v.recorded_at {direction}, v.id {direction}, m.ordinal {direction} LIMIT @limit");
        var rows = await db.QueryListAsync<VitalSignRow>(sql, where.Args, ct);
        return SearchPage.From(rows, count, VitalSignObservation.Map, r => r.PatientUserId, r => new Position(r.RecordedAt, r.Id, r.Ordinal, Lab: false));
    }

    [GeneratedRegex("^([0-9]{1,9})-([a-z-]{1,40})$")]
    private static partial Regex IdShape();
}
