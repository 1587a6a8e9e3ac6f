using Hl7.Fhir.Model;
using MediConnect.Portal.Features.Shared.Vitals;

namespace MediConnect.Portal.Features.Fhir.Observations;

/// <summary>
/// One measure of a <c>vital_signs</c> row as a FHIR vital-signs Observation: its LOINC code(s),
/// the R4 vital-signs profile it conforms to and its UCUM unit. <see cref="Ordinal"/> is its place
/// in the SQL that turns a row into one Observation per measure taken, <see cref="Column"/> the
/// <c>vital_signs</c> column that holds it; <see cref="Slug"/> ends the Observation's id
/// (<c>{reading id}-{slug}</c>).
/// </summary>
public sealed record VitalSignCode(
    int Ordinal,
    string Column,
    string Slug,
    VitalMeasure? Measure,
    string Profile,
    string Unit,
    string Ucum,
    params (string Code, string Display)[] Loinc)
{
    public const string LoincSystem = "http://loinc.org";
    public const string UcumSystem = "http://unitsofmeasure.org";
    public const string VitalSignsProfile = "http://hl7.org/fhir/StructureDefinition/vitalsigns";

    public string Code => Loinc[0].Code;
    public string Display => Loinc[0].Display;

    public CodeableConcept Concept() => new()
    {
        Coding = [.. Loinc.Select(l => new Coding(LoincSystem, l.Code, l.Display))],
        Text = Display,
    };

    public Quantity Quantity(decimal value) => new() { Value = value, Unit = Unit, System = UcumSystem, Code = Ucum };

    public bool Matches(SearchToken token) => Loinc.Any(l => token.Matches(LoincSystem, l.Code));

    public static readonly VitalSignCode HeartRate = new(1, "heart_rate", "heart-rate", VitalMeasure.HeartRate,
        "http://hl7.org/fhir/StructureDefinition/heartrate", "beats/minute", "/min", ("8867-4", "Heart rate"));

    public static readonly VitalSignCode BloodPressure = new(2, "blood_pressure", "blood-pressure", null,
        "http://hl7.org/fhir/StructureDefinition/bp", "mmHg", "mm[Hg]", ("85354-9", "Blood pressure panel with all children optional"));

    public static readonly VitalSignCode BodyTemperature = new(3, "temperature", "body-temperature", VitalMeasure.Temperature,
        "http://hl7.org/fhir/StructureDefinition/bodytemp", "C", "Cel", ("8310-5", "Body temperature"));

    // The R4 oxygen-saturation profile requires 2708-6; 59408-5 says it was measured by pulse oximetry.
    public static readonly VitalSignCode OxygenSaturation = new(4, "oxygen_saturation", "oxygen-saturation", VitalMeasure.OxygenSaturation,
        "http://hl7.org/fhir/StructureDefinition/oxygensat", "%", "%",
        ("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry"), ("2708-6", "Oxygen saturation in Arterial blood"));

    public static readonly VitalSignCode RespiratoryRate = new(5, "respiratory_rate", "respiratory-rate", VitalMeasure.RespiratoryRate,
        "http://hl7.org/fhir/StructureDefinition/resprate", "breaths/minute", "/min", ("9279-1", "Respiratory rate"));

    // Not one of the core vital signs: conforms to the generic vital-signs profile only.
    public static readonly VitalSignCode Glucose = new(6, "glucose_level", "glucose", VitalMeasure.GlucoseLevel,
        VitalSignsProfile, "mg/dL", "mg/dL", ("2339-0", "Glucose [Mass/volume] in Blood"));

    public static readonly VitalSignCode BodyWeight = new(7, "weight", "body-weight", VitalMeasure.Weight,
        "http://hl7.org/fhir/StructureDefinition/bodyweight", "kg", "kg", ("29463-7", "Body weight"));

    public static readonly VitalSignCode BodyHeight = new(8, "height", "body-height", VitalMeasure.Height,
        "http://hl7.org/fhir/StructureDefinition/bodyheight", "cm", "cm", ("8302-2", "Body height"));

    public static readonly IReadOnlyList<VitalSignCode> All =
        [HeartRate, BloodPressure, BodyTemperature, OxygenSaturation, RespiratoryRate, Glucose, BodyWeight, BodyHeight];

    /// <summary>The components of the blood-pressure panel.</summary>
    public static readonly (VitalMeasure Measure, string Code, string Display)[] BloodPressureParts =
    [
        (VitalMeasure.Systolic, "8480-6", "Systolic blood pressure"),
        (VitalMeasure.Diastolic, "8462-4", "Diastolic blood pressure"),
    ];

    public static VitalSignCode? BySlug(string slug) => All.FirstOrDefault(c => c.Slug == slug);

    public static VitalSignCode ByOrdinal(int ordinal) => All.Single(c => c.Ordinal == ordinal);
}
