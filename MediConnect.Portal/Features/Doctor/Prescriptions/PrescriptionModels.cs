namespace MediConnect.Portal.Features.Doctor.Prescriptions;

/// <summary>One prescription as the chart shows it.</summary>
public sealed record PrescriptionRow(
    int Id,
    int PatientId,
    int DoctorId,
    string DoctorName,
    int? AppointmentId,
    string Medication,
    string Dosage,
    string Frequency,
    string? Duration,
    int? Quantity,
    int Refills,
    string? Pharmacy,
    string Status,
    string? Instructions,
    string? Notes,
    string? CancellationReason,
    DateOnly PrescribedDate,
    DateOnly? ExpirationDate,
    DateTime UpdatedAt)
{
    public const string SelectSql = """
        SELECT rx.id, rx.patient_id, rx.doctor_id, du.name AS doctor_name, rx.appointment_id, rx.medication, rx.dosage,
               rx.frequency, rx.duration, rx.quantity, rx.refills, rx.pharmacy, rx.status, rx.instructions, rx.notes,
               rx.cancellation_reason, rx.prescribed_date, rx.expiration_date, rx.updated_at
        FROM prescriptions rx
        JOIN users du ON du.id = rx.doctor_id
        """;

    public bool IsLive => PrescriptionLifecycle.IsLive(Status);
}

/// <summary>The prescribing form. Strings are trimmed and checked by <see cref="DoctorPrescriptions.Validate"/>.</summary>
public sealed class PrescriptionDraft
{
    public int PatientUserId { get; set; }
    public int? AppointmentId { get; set; }
    public string Medication { get; set; } = "";
    public string Dosage { get; set; } = "";
    public string Frequency { get; set; } = "";
    public string? Duration { get; set; }
    public int? Quantity { get; set; }
    public int Refills { get; set; }
    public string? Pharmacy { get; set; }
    public string? Instructions { get; set; }
    public DateTime? ExpirationDate { get; set; }
}

/// <summary>
/// The medication matches one of the patient's recorded allergies and the doctor has not
/// acknowledged the warning yet: nothing was written.
/// </summary>
public sealed class AllergyWarningException(IReadOnlyList<AllergyMatch> matches)
    : Exception("Allergy warning: " + string.Join(" ", matches.Select(m => m.Explanation)))
{
    public IReadOnlyList<AllergyMatch> Matches { get; } = matches;
}
