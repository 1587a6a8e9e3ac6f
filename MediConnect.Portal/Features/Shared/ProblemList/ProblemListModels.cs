namespace MediConnect.Portal.Features.Shared.ProblemList;

/// <summary>One code of the shipped ICD-10-CM table.</summary>
public sealed record Icd10Code(string Code, string Title);

/// <summary>A condition on a patient's problem list; <see cref="Icd10Code"/> is null until a doctor codes it.</summary>
public sealed record ProblemRow(
    int Id, int PatientId, string? Icd10Code, string? Icd10Title, string Description, DateOnly? OnsetDate,
    string Status, DateOnly? ResolvedDate, int? RecordedBy, string? RecordedByName, DateTime UpdatedAt)
{
    public const string Active = "active";
    public const string Resolved = "resolved";

    public const string SelectSql = """
        SELECT pp.id, pp.patient_id, pp.icd10_code, c.title AS icd10_title, pp.description, pp.onset_date,
               pp.status, pp.resolved_date, pp.recorded_by, d.name AS recorded_by_name, pp.updated_at
        FROM patient_problems pp
        LEFT JOIN icd10_codes c ON c.code = pp.icd10_code
        LEFT JOIN users d ON d.id = pp.recorded_by
        """;

    public bool IsCoded => Icd10Code is not null;
    public bool IsActive => Status == Active;
}

/// <summary>A substance a patient reacts to.</summary>
public sealed record AllergyRow(
    int Id, int PatientId, string Substance, string? Reaction, string? Severity, string Status,
    int? RecordedBy, string? RecordedByName, DateTime UpdatedAt)
{
    public const string Active = "active";
    public const string Inactive = "inactive";
    public static readonly string[] Severities = ["mild", "moderate", "severe"];

    public const string SelectSql = """
        SELECT a.id, a.patient_id, a.substance, a.reaction, a.severity, a.status, a.recorded_by,
               d.name AS recorded_by_name, a.updated_at
        FROM patient_allergies a
        LEFT JOIN users d ON d.id = a.recorded_by
        """;

    public bool IsActive => Status == Active;
}

/// <summary>A new problem as the doctor's form holds it.</summary>
public sealed class ProblemDraft
{
    public string Description { get; set; } = "";
    public string? Icd10Code { get; set; }
    public DateTime? OnsetDate { get; set; }
}

/// <summary>A new allergy as the doctor's form holds it.</summary>
public sealed class AllergyDraft
{
    public string Substance { get; set; } = "";
    public string? Reaction { get; set; }
    public string? Severity { get; set; }
}

/// <summary>A patient's problem list and allergies, newest first within each status, active first.</summary>
public sealed record PatientProblemList(IReadOnlyList<ProblemRow> Problems, IReadOnlyList<AllergyRow> Allergies)
{
    public IEnumerable<AllergyRow> ActiveAllergies => Allergies.Where(a => a.IsActive);
}

/// <summary>
/// The active allergies and problems as one line each, for a query over <c>patient_summary s</c>: the
/// structured lists are the record (the free text on <c>patients</c> is what was migrated from).
/// </summary>
public static class ProblemListSql
{
    public const string ActiveAllergies = """
        (SELECT string_agg(a.substance, ', ' ORDER BY a.id) FROM patient_allergies a
         WHERE a.patient_id = s.user_id AND a.status = 'active')
        """;

    public const string ActiveProblems = """
        (SELECT string_agg(coalesce(pp.description || ' (' || pp.icd10_code || ')', pp.description), ', ' ORDER BY pp.id)
         FROM patient_problems pp WHERE pp.patient_id = s.user_id AND pp.status = 'active')
        """;
}
