using System.Globalization;
using MediConnect.Portal.Features.Shared.Vitals;

namespace MediConnect.Portal.Features.Doctor.Flags;

/// <summary>A critical lab result, as the chart's flag shows it: "Potassium 6.8 mmol/L critically high".</summary>
public sealed record CriticalLab(int Id, int PatientUserId, string ShortName, string ValueText, string Unit, string Flag, DateTime SpecimenAt)
{
    public string Text => $"{ShortName} {ValueText} {Unit} {MediConnect.Portal.Features.Shared.Labs.LabFlags.Text(Flag).ToLowerInvariant()}";
}

/// <summary>Who acknowledged a critical reading, and when (UTC).</summary>
public sealed record ReadingAcknowledgement(int VitalSignId, string DoctorName, DateTime AcknowledgedAt);

/// <summary>
/// A reading with measures outside their normal band, as <see cref="VitalReading.OutOfRange"/> and
/// <see cref="VitalRanges"/> classify them (the same rule as the bell's critical notification and
/// My patients' flag), and its acknowledgement when a doctor has acknowledged it.
/// </summary>
public sealed record FlaggedReading(VitalReading Reading, ReadingAcknowledgement? Acknowledgement)
{
    public bool IsCritical => Reading.OutOfRange.Any(o => VitalRanges.IsCritical(o.Flag));

    /// <summary>The measures outside the band, compactly: "HR 150, BP 182/121".</summary>
    public string Measures
    {
        get
        {
            var flagged = Reading.OutOfRange.Select(o => o.Range.Measure).ToHashSet();
            var parts = new List<string>();
            foreach (var (range, value, _) in Reading.OutOfRange)
            {
                if (range.Measure is VitalMeasure.Diastolic && flagged.Contains(VitalMeasure.Systolic))
                    continue;
                parts.Add(range.Measure switch
                {
                    VitalMeasure.HeartRate => $"HR {Number(value)}",
                    VitalMeasure.Systolic or VitalMeasure.Diastolic => $"BP {Reading.BloodPressure}",
                    VitalMeasure.Temperature => $"Temp {Number(value)} °C",
                    VitalMeasure.OxygenSaturation => $"SpO2 {Number(value)}%",
                    VitalMeasure.RespiratoryRate => $"RR {Number(value)}",
                    VitalMeasure.GlucoseLevel => $"Glucose {Number(value)}",
                    _ => $"{range.Label} {Number(value)} {range.Unit}",
                });
            }
            return string.Join(", ", parts);
        }
    }

    static string Number(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}

/// <summary>
/// What a doctor should see at a glance about a patient: allergies, critical readings nobody has
/// acknowledged yet, the newest acknowledged one (who and when), and the newest reading when it is
/// abnormal but not critical. Readings older than <see cref="ClinicalFlags.Window"/> raise no flag.
/// </summary>
public sealed record PatientFlags(
    int PatientUserId,
    string? Allergies,
    IReadOnlyList<FlaggedReading> Unacknowledged,
    FlaggedReading? Acknowledged,
    FlaggedReading? Abnormal)
{
    public static PatientFlags None(int patientUserId) => new(patientUserId, null, [], null, null);

    /// <summary>Critical lab results of the window, newest first.</summary>
    public IReadOnlyList<CriticalLab> CriticalLabs { get; init; } = [];

    public bool Any => HasAllergies || Unacknowledged.Count > 0 || Acknowledged is not null || Abnormal is not null || CriticalLabs.Count > 0;

    public bool HasAllergies => !string.IsNullOrWhiteSpace(Allergies);

    /// <summary>The flags from the patient's readings, newest first.</summary>
    public static PatientFlags From(int patientUserId, string? allergies, IReadOnlyList<FlaggedReading> newestFirst)
    {
        var flagged = newestFirst.Where(r => r.Reading.IsOutOfRange).ToList();
        var latest = newestFirst.FirstOrDefault();
        return new PatientFlags(
            patientUserId,
            allergies,
            [.. flagged.Where(r => r.IsCritical && r.Acknowledgement is null)],
            flagged.FirstOrDefault(r => r.IsCritical && r.Acknowledgement is not null),
            latest is { Reading.IsOutOfRange: true, IsCritical: false } ? latest : null);
    }
}
