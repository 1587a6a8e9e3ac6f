using System.Globalization;
using Hl7.Fhir.Model;
using MediConnect.Portal.Features.Shared.Vitals;

namespace MediConnect.Portal.Features.Fhir.Observations;

/// <summary>One measure of one reading, as the Observation search reads it (<see cref="Ordinal"/> picks the measure).</summary>
public sealed record VitalSignRow(
    int Id,
    DateTime RecordedAt,
    DateTime CreatedAt,
    int PatientUserId,
    int Ordinal,
    int? HeartRate,
    string? BloodPressure,
    decimal? Temperature,
    int? OxygenSaturation,
    int? RespiratoryRate,
    decimal? Weight,
    decimal? Height,
    int? GlucoseLevel,
    string DeviceSource,
    string? Notes,
    int? RecordedBy,
    string? RecordedByRole)
{
    public VitalReading Reading => new(Id, RecordedAt, HeartRate, BloodPressure, Temperature, OxygenSaturation, RespiratoryRate,
        Weight, Height, GlucoseLevel, DeviceSource, Notes);
}

/// <summary>
/// Maps a <see cref="VitalSignRow"/> to an Observation of the R4 vital-signs profile (and the
/// measure's own profile): LOINC code, UCUM quantity, reference range and H/L interpretation from
/// <see cref="VitalRanges"/> (HH/LL beyond the critical bounds), the blood pressure as a panel with
/// systolic and diastolic components.
/// </summary>
public static class VitalSignObservation
{
    const string InterpretationSystem = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";

    static readonly CodeableConcept VitalSignsCategory =
        new("http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs", "Vital Signs", "Vital Signs");

    public static string IdOf(int readingId, VitalSignCode code) => $"{readingId.ToString(CultureInfo.InvariantCulture)}-{code.Slug}";

    public static Observation Map(VitalSignRow row)
    {
        var code = VitalSignCode.ByOrdinal(row.Ordinal);
        var reading = row.Reading;
        var observation = new Observation
        {
            Id = IdOf(row.Id, code),
            Meta = new Meta
            {
                Profile = code.Profile == VitalSignCode.VitalSignsProfile ? [code.Profile] : [VitalSignCode.VitalSignsProfile, code.Profile],
                LastUpdated = new DateTimeOffset(row.CreatedAt, TimeSpan.Zero),
            },
            Status = ObservationStatus.Final,
            Category = [(CodeableConcept)VitalSignsCategory.DeepCopy()],
            Code = code.Concept(),
            Subject = new ResourceReference($"Patient/{row.PatientUserId}"),
            Effective = new FhirDateTime(new DateTimeOffset(DateTime.SpecifyKind(row.RecordedAt, DateTimeKind.Utc)).ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture)),
            Device = new ResourceReference { Display = row.DeviceSource },
        };
        if (Performer(row) is { } performer)
            observation.Performer = [performer];
        if (!string.IsNullOrWhiteSpace(row.Notes))
            observation.Note = [new Annotation { Text = row.Notes }];

        if (code.Measure is { } measure)
        {
            var value = reading.ValueOf(measure)!.Value;
            observation.Value = code.Quantity(value);
            observation.Interpretation = Interpretation(measure, value);
            observation.ReferenceRange = ReferenceRange(code, measure);
        }
        else
        {
            observation.Component =
            [
                .. VitalSignCode.BloodPressureParts.Select(part =>
                {
                    var value = reading.ValueOf(part.Measure)!.Value;
                    return new Observation.ComponentComponent
                    {
                        Code = new CodeableConcept(VitalSignCode.LoincSystem, part.Code, part.Display, part.Display),
                        Value = code.Quantity(value),
                        Interpretation = Interpretation(part.Measure, value),
                        ReferenceRange = ReferenceRange(code, part.Measure),
                    };
                }),
            ];
        }
        return observation;
    }

    /// <summary>Who recorded it, when that is the patient or a doctor (others are not resources of this API).</summary>
    static ResourceReference? Performer(VitalSignRow row) => (row.RecordedBy, row.RecordedByRole) switch
    {
        ({ } id, "doctor") => new ResourceReference($"Practitioner/{id}"),
        ({ } id, "patient") when id == row.PatientUserId => new ResourceReference($"Patient/{id}"),
        _ => null,
    };

    static List<CodeableConcept> Interpretation(VitalMeasure measure, decimal value)
    {
        var range = VitalRanges.For(measure);
        if (range.NormalLow is null && range.NormalHigh is null)
            return [];
        var (code, display) = range.Classify(value) switch
        {
            VitalFlag.CriticalHigh => ("HH", "Critical high"),
            VitalFlag.CriticalLow => ("LL", "Critical low"),
            VitalFlag.High => ("H", "High"),
            VitalFlag.Low => ("L", "Low"),
            _ => ("N", "Normal"),
        };
        return [new CodeableConcept(InterpretationSystem, code, display, display)];
    }

    static List<Observation.ReferenceRangeComponent> ReferenceRange(VitalSignCode code, VitalMeasure measure)
    {
        var range = VitalRanges.For(measure);
        if (range.NormalLow is null && range.NormalHigh is null)
            return [];
        return
        [
            new Observation.ReferenceRangeComponent
            {
                Low = range.NormalLow is { } low ? Simple(code, low) : null,
                High = range.NormalHigh is { } high ? Simple(code, high) : null,
                Text = "Adult resting reference range",
            },
        ];
    }

    static Quantity Simple(VitalSignCode code, decimal value) => new() { Value = value, Unit = code.Unit, System = VitalSignCode.UcumSystem, Code = code.Ucum };
}
