namespace MediConnect.Portal.Features.Doctor.Appointments;

/// <summary>Which part of the doctor's book the list shows.</summary>
public enum AppointmentScope
{
    /// <summary>Today and later, still to happen (the <c>upcoming_appointments</c> view).</summary>
    Upcoming,
    /// <summary>Before today, any status.</summary>
    Past,
    /// <summary>Every appointment, any status.</summary>
    All,
}

public enum AppointmentSort { DateTime, PatientName, Status, Type }

/// <summary>A page request for the doctor's appointment list. <see cref="Page"/> counts from 0.</summary>
public sealed record AppointmentQuery(
    AppointmentScope Scope = AppointmentScope.Upcoming,
    DateOnly? From = null,
    DateOnly? To = null,
    IReadOnlyCollection<string>? Statuses = null,
    string? PatientName = null,
    AppointmentSort Sort = AppointmentSort.DateTime,
    bool Descending = false,
    int Page = 0,
    int PageSize = 25);

/// <summary>One appointment as the doctor sees it. <see cref="UpdatedAt"/> is the concurrency token.</summary>
public sealed record DoctorAppointment(
    int Id,
    int PatientId,
    string PatientName,
    string PatientEmail,
    DateOnly AppointmentDate,
    TimeOnly AppointmentTime,
    int DurationMinutes,
    string Type,
    string? Reason,
    string Status,
    string? Notes,
    string? CancellationReason,
    DateTime UpdatedAt)
{
    public DateTime SlotStart => AppointmentDate.ToDateTime(AppointmentTime);
    public DateTime SlotEnd => SlotStart.AddMinutes(DurationMinutes);
}

public sealed record AppointmentPage(IReadOnlyList<DoctorAppointment> Items, int TotalCount);

/// <summary>How many of today's appointments are in one status.</summary>
public sealed record StatusCount(string Status, long Count);

/// <summary>
/// The appointment changed since the page loaded it: nothing was written. <see cref="Current"/>
/// is the fresh state to show.
/// </summary>
public sealed class AppointmentChangedException(DoctorAppointment current)
    : Exception($"Someone else changed this appointment since you loaded it (it is now {AppointmentStatus.Label(current.Status).ToLowerInvariant()}). The latest version is shown; nothing was overwritten.")
{
    public DoctorAppointment Current { get; } = current;
}
