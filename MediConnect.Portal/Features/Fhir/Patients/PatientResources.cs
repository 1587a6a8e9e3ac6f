using System.Globalization;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Fhir.Patients;

/// <summary>
/// <c>Patient</c>: the patient users the caller may read (a patient themselves, a doctor their
/// care team), id = <c>users.id</c> as on the portal's pages. Identifiers: the medical record
/// number (<see cref="MrnSystem"/>, <c>MC-</c> and the patient number) and the insurance member id.
/// </summary>
public sealed partial class PatientResources(NpgsqlDataSource db, TimeProvider time) : IFhirResourceType
{
    public const string MrnSystem = "urn:mediconnect:mrn";
    public const string InsuranceSystem = "urn:mediconnect:insurance-member-id";

    sealed record Position(int Id);

    const string RowsSql = $"""
        SELECT u.id AS user_id, p.id AS patient_id, u.email, u.name, u.phone, p.date_of_birth, p.gender,
               p.emergency_contact_name, p.emergency_contact_phone, p.insurance_provider, p.insurance_member_id,
               p.address, p.city, p.state, p.zip_code, p.country, greatest(u.updated_at, p.updated_at) AS updated_at
        FROM patients p
        JOIN users u ON u.id = p.user_id
        WHERE u.id IN ({Security.CareTeam.ReadablePatientsSql})
        """;

    public string Name => "Patient";
    public bool IsPatientData => true;

    public IReadOnlyList<SearchParameter> SearchParameters { get; } =
    [
        new("_id", SearchParamType.Token, "The patient's id; several separated by commas."),
        new("name", SearchParamType.String, "A word of the name starts with this (case-insensitive); repeat to require several."),
        new("name:contains", SearchParamType.String, "The name contains this anywhere."),
        new("name:exact", SearchParamType.String, "The whole name, exactly."),
        new("birthdate", SearchParamType.Date, "Date of birth, e.g. 1980-03-14, or a range with ge/le."),
        new("gender", SearchParamType.Token, "male, female, other or unknown."),
        new("identifier", SearchParamType.Token, $"Medical record number ({MrnSystem}|MC-000001) or insurance member id ({InsuranceSystem}|…); the value alone matches either."),
    ];

    public async Task<FhirRead?> ReadAsync(string id, PatientAccess access, CancellationToken ct)
    {
        if (FhirIds.Numeric(id) is not { } userId)
            return null;
        const string sql = $"{RowsSql}\n  AND u.id = @userId";
        var row = await db.QueryOneAsync<PatientRow>(sql, new { access.ViewerId, access.ReadsSelf, access.ReadsCareTeam, userId }, ct);
        return row is null ? null : new FhirRead(PatientMapping.Map(row), row.UserId);
    }

    public async Task<SearchPage> SearchAsync(FhirQuery query, PatientAccess access, CancellationToken ct)
    {
        var count = query.Count;
        var where = new SqlWhere(access).Page(count);

        var ids = query.Alternatives("_id").Select(FhirIds.Numeric).ToList();
        if (ids.Count > 0)
            where.And($"u.id = ANY({where.Bind(ids.OfType<int>().ToArray())})");

        foreach (var value in query.All("name"))
            where.And($"(u.name ILIKE {where.Bind(FhirIds.LikeEscape(value) + "%")} OR u.name ILIKE {where.Bind("% " + FhirIds.LikeEscape(value) + "%")})");
        foreach (var value in query.All("name:contains"))
            where.And($"u.name ILIKE {where.Bind("%" + FhirIds.LikeEscape(value) + "%")}");
        foreach (var value in query.All("name:exact"))
            where.And($"u.name = {where.Bind(value)}");

        foreach (var bound in query.Dates("birthdate", time.LocalTimeZone))
        {
            if (bound.From is { } from)
                where.And($"p.date_of_birth >= {where.Bind(Day(from))}");
            if (bound.Before is { } before)
                where.And($"p.date_of_birth < {where.Bind(Day(before))}");
        }

        var genders = query.Tokens("gender");
        if (genders.Count > 0)
            where.And($"lower(coalesce(p.gender, 'unknown')) = ANY({where.Bind(genders.Select(g => g.Code.ToLowerInvariant()).ToArray())})");

        var identifiers = query.Tokens("identifier");
        if (identifiers.Count > 0)
            where.And("(" + string.Join(" OR ", identifiers.Select(token => IdentifierClause(token, where))) + ")");

        if (FhirCursor.Decode<Position>(query.Cursor) is { } after)
            where.And($"u.id > {where.Bind(after.Id)}");

        var sql = $"""
            {RowsSql}
              AND {where}
            ORDER BY u.id
            LIMIT @limit
            """;
        var rows = await db.QueryListAsync<PatientRow>(sql, where.Args, ct);
        return SearchPage.From(rows, count, PatientMapping.Map, r => r.UserId, r => new Position(r.UserId));
    }

    static string IdentifierClause(SearchToken token, SqlWhere where)
    {
        var clauses = new List<string>();
        if (token.System is null || token.System == MrnSystem)
        {
            var mrn = MrnShape().Match(token.Code);
            if (mrn.Success && int.TryParse(mrn.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var patientId))
                clauses.Add($"p.id = {where.Bind(patientId)}");
        }
        if ((token.System is null || token.System == InsuranceSystem) && token.Code.Length > 0)
            clauses.Add($"p.insurance_member_id = {where.Bind(token.Code)}");
        return clauses.Count == 0 ? "false" : string.Join(" OR ", clauses);
    }

    static DateOnly Day(DateTimeOffset value) => DateOnly.FromDateTime(value.DateTime);

    [GeneratedRegex("^MC-([0-9]{1,9})$")]
    private static partial Regex MrnShape();
}
