using Hl7.Fhir.Model;

namespace MediConnect.Portal.Features.Fhir.Appointments;

/// <summary>An appointment with its patient's and doctor's names; <see cref="StartsAt"/> is clinic time.</summary>
public sealed record AppointmentRow(
    int Id,
    int PatientId,
    string PatientName,
    int DoctorId,
    string DoctorName,
    DateTime StartsAt,
    int DurationMinutes,
    string Type,
    string? Reason,
    string Status,
    string? CancellationReason,
    DateTime CreatedAt,
    DateTime UpdatedAt);

/// <summary>Maps an <see cref="AppointmentRow"/> to a FHIR Appointment with the patient and the doctor as participants.</summary>
public static class AppointmentMapping
{
    public static Appointment Map(AppointmentRow row, TimeZoneInfo clinicZone)
    {
        var status = AppointmentResources.Statuses[row.Status];
        var start = new DateTimeOffset(DateTime.SpecifyKind(row.StartsAt, DateTimeKind.Unspecified), clinicZone.GetUtcOffset(row.StartsAt));
        var appointment = new Appointment
        {
            Id = FhirIds.Text(row.Id),
            Meta = new Meta { LastUpdated = FhirIds.Utc(row.UpdatedAt) },
            Status = status,
            ServiceType = [new CodeableConcept { Text = row.Type }],
            AppointmentType = AppointmentType(row.Type),
            Start = start,
            End = start.AddMinutes(row.DurationMinutes),
            MinutesDuration = row.DurationMinutes,
            Created = FhirIds.Utc(row.CreatedAt).ToString("yyyy-MM-ddTHH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture),
            Participant =
            [
                new Appointment.ParticipantComponent
                {
                    Actor = new ResourceReference($"Patient/{row.PatientId}", row.PatientName),
                    Required = Appointment.ParticipantRequired.Required,
                    Status = ParticipationStatus.Accepted,
                },
                new Appointment.ParticipantComponent
                {
                    Actor = new ResourceReference($"Practitioner/{row.DoctorId}", row.DoctorName),
                    Required = Appointment.ParticipantRequired.Required,
                    // A scheduled (pending) appointment waits for the doctor to confirm it.
                    Status = status == Appointment.AppointmentStatus.Pending ? ParticipationStatus.NeedsAction : ParticipationStatus.Accepted,
                },
            ],
        };
        if (!string.IsNullOrWhiteSpace(row.Reason))
            appointment.ReasonCode = [new CodeableConcept { Text = row.Reason }];
        if (status == Appointment.AppointmentStatus.Cancelled && !string.IsNullOrWhiteSpace(row.CancellationReason))
            appointment.CancelationReason = new CodeableConcept { Text = row.CancellationReason };
        return appointment;
    }

    /// <summary>The HL7 v2 appointment reason (table 0276) where our type has one.</summary>
    static CodeableConcept? AppointmentType(string type) => type switch
    {
        "Follow-up" => new CodeableConcept("http://terminology.hl7.org/CodeSystem/v2-0276", "FOLLOWUP", "A follow up visit from a previous appointment", type),
        "Annual Physical" => new CodeableConcept("http://terminology.hl7.org/CodeSystem/v2-0276", "CHECKUP", "A routine check-up, such as an annual physical", type),
        "Consultation" or "Diagnostic" or "Vaccination" => new CodeableConcept("http://terminology.hl7.org/CodeSystem/v2-0276", "ROUTINE", "Routine appointment - default if not valued", type),
        _ => null,
    };
}
