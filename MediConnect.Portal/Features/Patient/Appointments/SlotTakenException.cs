namespace MediConnect.Portal.Features.Patient.Appointments;

/// <summary>The slot a patient asked for is gone (someone else booked it first); the page shows fresh slots.</summary>
public sealed class SlotTakenException() : Exception("That time was just taken by someone else. Please pick another of the free times below.");
