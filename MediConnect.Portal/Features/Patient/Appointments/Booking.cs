namespace MediConnect.Portal.Features.Patient.Appointments;

/// <summary>A doctor a patient can book with.</summary>
public sealed record BookableDoctor(int Id, string Name, string? Specialization);

/// <summary>What the booking form sends: the doctor, a free slot, the type and the reason.</summary>
public sealed record BookingRequest(int DoctorId, DateOnly? Date, TimeOnly? Time, string? Type, string? Reason);

/// <summary>A day with free times, soonest first.</summary>
public sealed record FreeDay(DateOnly Date, IReadOnlyList<TimeOnly> Times);
