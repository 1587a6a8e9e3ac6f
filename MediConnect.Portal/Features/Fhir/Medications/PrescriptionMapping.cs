using System.Globalization;
using Hl7.Fhir.Model;

namespace MediConnect.Portal.Features.Fhir.Medications;

/// <summary>A prescription with its patient's and doctor's names (the doctor's private notes are not read).</summary>
public sealed record PrescriptionRow(
    int Id,
    int PatientId,
    string PatientName,
    int DoctorId,
    string DoctorName,
    string Medication,
    string Dosage,
    string Frequency,
    string? Duration,
    int? Quantity,
    int Refills,
    string? Pharmacy,
    string Status,
    string? Instructions,
    string? CancellationReason,
    DateOnly PrescribedDate,
    DateOnly? ExpirationDate,
    DateTime UpdatedAt);

/// <summary>Maps a <see cref="PrescriptionRow"/> to a FHIR MedicationRequest (an order from the doctor for the patient).</summary>
public static class PrescriptionMapping
{
    public static MedicationRequest Map(PrescriptionRow row)
    {
        var status = MedicationRequestResources.Statuses[row.Status];
        var dosage = string.Join(", ", new[] { row.Dosage, row.Frequency, row.Duration is null ? null : $"for {row.Duration}" }.Where(s => !string.IsNullOrWhiteSpace(s)));
        var request = new MedicationRequest
        {
            Id = FhirIds.Text(row.Id),
            Meta = new Meta { LastUpdated = FhirIds.Utc(row.UpdatedAt) },
            Status = status,
            Intent = MedicationRequest.MedicationRequestIntent.Order,
            Medication = new CodeableConcept { Text = row.Medication },
            Subject = new ResourceReference($"Patient/{row.PatientId}", row.PatientName),
            Requester = new ResourceReference($"Practitioner/{row.DoctorId}", row.DoctorName),
            AuthoredOn = Day(row.PrescribedDate),
            DosageInstruction = [new Dosage { Text = dosage, PatientInstruction = row.Instructions }],
            DispenseRequest = new MedicationRequest.DispenseRequestComponent
            {
                NumberOfRepeatsAllowed = row.Refills,
                ValidityPeriod = new Period { Start = Day(row.PrescribedDate), End = row.ExpirationDate is { } end ? Day(end) : null },
            },
        };
        if (row.Quantity is { } quantity)
            request.DispenseRequest.Quantity = new Quantity { Value = quantity };
        if (!string.IsNullOrWhiteSpace(row.Pharmacy))
            request.DispenseRequest.Performer = new ResourceReference { Display = row.Pharmacy };
        if (status == MedicationRequest.MedicationrequestStatus.Cancelled && !string.IsNullOrWhiteSpace(row.CancellationReason))
            request.StatusReason = new CodeableConcept { Text = row.CancellationReason };
        return request;
    }

    static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
