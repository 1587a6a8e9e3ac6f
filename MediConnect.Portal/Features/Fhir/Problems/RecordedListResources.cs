using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Fhir.Problems;

/// <summary>One entry of a patient's comma-separated allergies or conditions.</summary>
public sealed record RecordedItem(int PatientUserId, string PatientName, long Ordinal, string Text, DateTime UpdatedAt)
{
    /// <summary>The entry's id: the patient and a slug of its text (<c>12-sulfa-drugs</c>), stable while the entry is recorded.</summary>
    public string Id => RecordedListResources.IdOf(PatientUserId, Text);
}

/// <summary>
/// A resource per entry of the free-text list a patient's profile keeps in one column
/// (<c>patients.allergies</c>, <c>patients.conditions</c>): what the clinic has recorded, as the
/// chart shows it. A search unnests the lists in SQL and pages by (patient, position).
/// </summary>
public abstract partial class RecordedListResources(NpgsqlDataSource db) : IFhirResourceType
{
    sealed record Position(int Patient, long Ordinal);

    /// <summary>The <c>patients</c> column with the list.</summary>
    protected abstract string Column { get; }

    public abstract string Name { get; }
    public bool IsPatientData => true;

    public IReadOnlyList<SearchParameter> SearchParameters { get; } =
    [
        new("patient", SearchParamType.Reference, "The patient (Patient/{id}); several separated by commas."),
    ];

    protected abstract Resource Map(RecordedItem item);

    string RowsSql => $"""
        SELECT p.user_id AS patient_user_id, u.name AS patient_name, item.ordinal, btrim(item.text) AS text, p.updated_at
        FROM patients p
        JOIN users u ON u.id = p.user_id
        CROSS JOIN LATERAL unnest(string_to_array(p.{Column}, ',')) WITH ORDINALITY AS item(text, ordinal)
        WHERE btrim(item.text) <> ''
          AND p.user_id IN ({Security.CareTeam.ReadablePatientsSql})
        """;

    public async Task<FhirRead?> ReadAsync(string id, PatientAccess access, CancellationToken ct)
    {
        var match = IdShape().Match(id);
        if (!match.Success || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var patientUserId))
            return null;
        var items = await db.QueryListAsync<RecordedItem>($"{RowsSql}\n  AND p.user_id = @patientUserId",
            new { access.ViewerId, access.ReadsSelf, access.ReadsCareTeam, patientUserId }, ct);
        return items.FirstOrDefault(i => i.Id == id) is { } item ? new FhirRead(Map(item), item.PatientUserId) : null;
    }

    public async Task<SearchPage> SearchAsync(FhirQuery query, PatientAccess access, CancellationToken ct)
    {
        var count = query.Count;
        var where = new SqlWhere(access).Page(count);
        var patients = query.References("patient", "Patient");
        if (patients.Count > 0)
            where.And($"p.user_id = ANY({where.Bind(patients.ToArray())})");
        if (FhirCursor.Decode<Position>(query.Cursor) is { } after)
            where.And($"(p.user_id, item.ordinal) > ({where.Bind(after.Patient)}, {where.Bind(after.Ordinal)})");
        var sql = $"""
            {RowsSql}
              AND {where}
            ORDER BY p.user_id, item.ordinal
            LIMIT @limit
            """;
        var rows = await db.QueryListAsync<RecordedItem>(sql, where.Args, ct);
        return SearchPage.From(rows, count, Map, r => r.PatientUserId, r => new Position(r.PatientUserId, r.Ordinal));
    }

    public static string IdOf(int patientUserId, string text)
    {
        var slug = new StringBuilder();
        foreach (var c in text.Trim().ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
                slug.Append(c);
            else if (slug.Length > 0 && slug[^1] != '-')
                slug.Append('-');
        }
        var words = slug.ToString().Trim('-');
        var prefix = FhirIds.Text(patientUserId) + "-";
        // Text with no ASCII letters still needs a stable id: a short hash of it.
        if (words.Length == 0)
            words = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text.Trim())))[..12];
        return prefix + words[..Math.Min(words.Length, 64 - prefix.Length)].TrimEnd('-');
    }

    protected static CodeableConcept Status(string system, string code) => new(system, code);

    [GeneratedRegex("^([0-9]{1,9})-[a-z0-9-]{1,60}$")]
    private static partial Regex IdShape();
}

/// <summary><c>AllergyIntolerance</c>: each allergy recorded on the patient's profile.</summary>
public sealed class AllergyIntoleranceResources(NpgsqlDataSource db) : RecordedListResources(db)
{
    public override string Name => "AllergyIntolerance";
    protected override string Column => "allergies";

    protected override Resource Map(RecordedItem item) => new AllergyIntolerance
    {
        Id = item.Id,
        Meta = new Meta { LastUpdated = FhirIds.Utc(item.UpdatedAt) },
        ClinicalStatus = Status("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active"),
        VerificationStatus = Status("http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", "confirmed"),
        Code = new CodeableConcept { Text = item.Text },
        Patient = new ResourceReference($"Patient/{item.PatientUserId}", item.PatientName),
    };
}

/// <summary><c>Condition</c>: each condition on the patient's problem list (the profile's conditions).</summary>
public sealed class ConditionResources(NpgsqlDataSource db) : RecordedListResources(db)
{
    public override string Name => "Condition";
    protected override string Column => "conditions";

    protected override Resource Map(RecordedItem item) => new Condition
    {
        Id = item.Id,
        Meta = new Meta { LastUpdated = FhirIds.Utc(item.UpdatedAt) },
        ClinicalStatus = Status("http://terminology.hl7.org/CodeSystem/condition-clinical", "active"),
        VerificationStatus = Status("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed"),
        Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item", "Problem List Item", "Problem list item")],
        Code = new CodeableConcept { Text = item.Text },
        Subject = new ResourceReference($"Patient/{item.PatientUserId}", item.PatientName),
    };
}
