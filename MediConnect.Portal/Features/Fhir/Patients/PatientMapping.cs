using Hl7.Fhir.Model;

namespace MediConnect.Portal.Features.Fhir.Patients;

/// <summary>A patient user and their profile, as the Patient resource reads them.</summary>
public sealed record PatientRow(
    int UserId,
    int PatientId,
    string Email,
    string Name,
    string? Phone,
    DateOnly? DateOfBirth,
    string? Gender,
    string? EmergencyContactName,
    string? EmergencyContactPhone,
    string? InsuranceProvider,
    string? InsuranceMemberId,
    string? Address,
    string? City,
    string? State,
    string? ZipCode,
    string? Country,
    DateTime UpdatedAt);

/// <summary>Maps a <see cref="PatientRow"/> to a FHIR Patient.</summary>
public static class PatientMapping
{
    const string IdentifierTypeSystem = "http://terminology.hl7.org/CodeSystem/v2-0203";

    public static string Mrn(int patientId) => $"MC-{patientId:D6}";

    public static Hl7.Fhir.Model.Patient Map(PatientRow row)
    {
        var patient = new Hl7.Fhir.Model.Patient
        {
            Id = FhirIds.Text(row.UserId),
            Meta = new Meta { LastUpdated = FhirIds.Utc(row.UpdatedAt) },
            Active = true,
            Identifier =
            [
                new Identifier(PatientResources.MrnSystem, Mrn(row.PatientId))
                {
                    Use = Identifier.IdentifierUse.Usual,
                    Type = new CodeableConcept(IdentifierTypeSystem, "MR", "Medical record number", "Medical record number"),
                },
            ],
            Name = [FhirIds.Name(row.Name)],
            Telecom = [new ContactPoint(ContactPoint.ContactPointSystem.Email, ContactPoint.ContactPointUse.Home, row.Email)],
            Gender = row.Gender?.ToLowerInvariant() switch
            {
                "male" => AdministrativeGender.Male,
                "female" => AdministrativeGender.Female,
                "other" => AdministrativeGender.Other,
                _ => AdministrativeGender.Unknown,
            },
        };
        if (!string.IsNullOrWhiteSpace(row.InsuranceMemberId))
            patient.Identifier.Add(new Identifier(PatientResources.InsuranceSystem, row.InsuranceMemberId)
            {
                Use = Identifier.IdentifierUse.Secondary,
                Type = new CodeableConcept(IdentifierTypeSystem, "MB", "Member Number", "Insurance member id"),
                Assigner = row.InsuranceProvider is null ? null : new ResourceReference { Display = row.InsuranceProvider },
            });
        if (!string.IsNullOrWhiteSpace(row.Phone))
            patient.Telecom.Insert(0, new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Home, row.Phone));
        if (row.DateOfBirth is { } born)
            patient.BirthDate = born.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        if (!string.IsNullOrWhiteSpace(row.Address) || !string.IsNullOrWhiteSpace(row.City))
            patient.Address =
            [
                new Address
                {
                    Use = Address.AddressUse.Home,
                    Line = string.IsNullOrWhiteSpace(row.Address) ? [] : [row.Address],
                    City = row.City,
                    State = row.State,
                    PostalCode = row.ZipCode,
                    Country = row.Country,
                },
            ];
        if (!string.IsNullOrWhiteSpace(row.EmergencyContactName) || !string.IsNullOrWhiteSpace(row.EmergencyContactPhone))
            patient.Contact =
            [
                new Hl7.Fhir.Model.Patient.ContactComponent
                {
                    Relationship = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/v2-0131", "C", "Emergency Contact", "Emergency contact")],
                    Name = string.IsNullOrWhiteSpace(row.EmergencyContactName) ? null : new HumanName { Text = row.EmergencyContactName },
                    Telecom = string.IsNullOrWhiteSpace(row.EmergencyContactPhone) ? []
                        : [new ContactPoint(ContactPoint.ContactPointSystem.Phone, null, row.EmergencyContactPhone)],
                },
            ];
        return patient;
    }
}
