using MediConnect.Portal.Security;

namespace MediConnect.Portal.Features.Shared.Immunizations;

/// <summary>A CVX vaccine code the portal offers (migration 102, from the CDC's CVX table).</summary>
public sealed record Vaccine(string CvxCode, string Name);

/// <summary>One dose a patient has had, as the chart, the Health summary and FHIR show it.</summary>
public sealed record ImmunizationRow(
    int Id,
    int PatientId,
    string PatientName,
    string CvxCode,
    string VaccineName,
    DateOnly AdministeredOn,
    int? DoseNumber,
    string? LotNumber,
    string? Site,
    string? GivenAt,
    string? Notes,
    string Source,
    int? GivenBy,
    string? GivenByName,
    int RecordedBy,
    int? ConfirmedBy,
    string? ConfirmedByName,
    DateTime? ConfirmedAt,
    DateTime UpdatedAt)
{
    public const string Clinic = "clinic";
    public const string PatientReported = "patient_reported";

    public const string SelectSql = """
        SELECT i.id, i.patient_id, pu.name AS patient_name, i.cvx_code, v.name AS vaccine_name, i.administered_on,
               i.dose_number::int AS dose_number, i.lot_number, i.site, i.given_at, i.notes, i.source,
               i.given_by, gu.name AS given_by_name, i.recorded_by, i.confirmed_by, cu.name AS confirmed_by_name,
               i.confirmed_at, i.updated_at
        FROM immunizations i
        JOIN vaccines v ON v.cvx_code = i.cvx_code
        JOIN users pu ON pu.id = i.patient_id
        LEFT JOIN users gu ON gu.id = i.given_by
        LEFT JOIN users cu ON cu.id = i.confirmed_by
        """;

    /// <summary>Given elsewhere and recorded by the patient (confirmed or not).</summary>
    public bool IsReported => Source == PatientReported;

    /// <summary>Reported by the patient and not yet confirmed by a doctor: shown as patient-reported.</summary>
    public bool AwaitsConfirmation => IsReported && ConfirmedBy is null;

    /// <summary>The doctor a correction goes to: who gave it, else who confirmed it.</summary>
    public int? ResponsibleDoctorId => GivenBy ?? ConfirmedBy;
}

/// <summary>What the form collects; <see cref="ImmunizationHistory"/> checks it again on the server.</summary>
public sealed class ImmunizationDraft
{
    public string? CvxCode { get; set; }
    public DateTime? AdministeredOn { get; set; }
    public int? DoseNumber { get; set; }
    public string? LotNumber { get; set; }
    public string? Site { get; set; }
    public string? GivenAt { get; set; }
    public string? Notes { get; set; }

    public static readonly TextField Lot = new("The lot number", 40, TextKind.Identity);
    public static readonly TextField SiteRule = new("The site", 60, TextKind.Identity);
    public static readonly TextField Place = new("Where it was given", 120, TextKind.Identity);
    public static readonly TextField NotesRule = new("The notes", 1000, TextKind.SharedLines);

    public const int MaxDoseNumber = 20;

    /// <summary>The field messages for this draft against <paramref name="today"/> and the patient's birthday.</summary>
    public IReadOnlyDictionary<string, string> Validate(DateOnly today, DateOnly? born, IReadOnlySet<string> knownCodes)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(CvxCode) || !knownCodes.Contains(CvxCode))
            errors[nameof(CvxCode)] = "Choose the vaccine from the list.";
        if (AdministeredOn is not { } given)
            errors[nameof(AdministeredOn)] = "Give the date it was given.";
        else if (DateOnly.FromDateTime(given) > today)
            errors[nameof(AdministeredOn)] = "The date cannot be in the future.";
        else if (born is { } birthday && DateOnly.FromDateTime(given) < birthday)
            errors[nameof(AdministeredOn)] = "The date cannot be before the date of birth.";
        if (DoseNumber is < 1 or > MaxDoseNumber)
            errors[nameof(DoseNumber)] = $"The dose number is a whole number from 1 to {MaxDoseNumber}.";
        errors.Check(nameof(LotNumber), Lot, LotNumber);
        errors.Check(nameof(Site), SiteRule, Site);
        errors.Check(nameof(GivenAt), Place, GivenAt);
        errors.Check(nameof(Notes), NotesRule, Notes);
        return errors;
    }
}
