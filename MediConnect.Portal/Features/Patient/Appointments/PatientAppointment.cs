namespace MediConnect.Portal.Features.Patient.Appointments;

/// <summary>One of the patient's appointments, with any doctor.</summary>
public sealed record PatientAppointment(
    int Id,
    int DoctorId,
    string DoctorName,
    string? DoctorSpecialization,
    DateOnly AppointmentDate,
    TimeOnly AppointmentTime,
    int DurationMinutes,
    string Type,
    string? Reason,
    string Status,
    string? CancellationReason)
{
    public DateTime StartsAt => AppointmentDate.ToDateTime(AppointmentTime);

    /// <summary>Still to happen and still changeable by the patient.</summary>
    public bool IsLive => Status is "scheduled" or "confirmed";
}

/// <summary>The patient's appointments: upcoming (soonest first) and past (latest first).</summary>
public sealed record MyAppointments(IReadOnlyList<PatientAppointment> Upcoming, IReadOnlyList<PatientAppointment> Past);
