using MediConnect.Portal.Features.Shared.Vitals;

namespace MediConnect.Portal.Features.Doctor.Patients;

/// <summary>One row of "My patients".</summary>
public sealed record MyPatient(
    int UserId,
    string Name,
    string Email,
    int? Age,
    string? Allergies,
    string? Conditions,
    DateOnly? LastVisit,
    DateTime? NextVisit,
    VitalReading? LatestVitals)
{
    public bool HasAllergies => !string.IsNullOrWhiteSpace(Allergies);
    public bool LatestVitalsOutOfRange => LatestVitals?.IsOutOfRange == true;
}

/// <summary>
/// The chart header, from the <c>patient_summary</c> view. <see cref="EmergencyAccessUntil"/> is set
/// when the chart is open under break-glass: read-only, until then.
/// </summary>
public sealed record ChartSummary(
    int PatientId,
    int UserId,
    string Email,
    string Name,
    string? Phone,
    DateOnly? DateOfBirth,
    int? Age,
    string? Gender,
    string? BloodType,
    string? Allergies,
    string? Conditions,
    string? EmergencyContactName,
    string? EmergencyContactPhone,
    string? InsuranceProvider,
    string? InsuranceMemberId,
    DateTime? LastEligibilityCheck,
    string? Address,
    string? City,
    string? State,
    string? ZipCode,
    string? Country)
{
    public DateTime? EmergencyAccessUntil { get; init; }
}

/// <summary>An appointment in the patient's history (with any doctor).</summary>
public sealed record ChartAppointment(
    int Id,
    int DoctorId,
    string DoctorName,
    DateOnly AppointmentDate,
    TimeOnly AppointmentTime,
    string Type,
    string? Reason,
    string Status,
    string? Notes,
    string? CancellationReason);
