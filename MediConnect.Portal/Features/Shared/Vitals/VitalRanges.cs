using System.Globalization;

namespace MediConnect.Portal.Features.Shared.Vitals;

public enum VitalMeasure
{
    HeartRate,
    Systolic,
    Diastolic,
    Temperature,
    OxygenSaturation,
    RespiratoryRate,
    GlucoseLevel,
    Weight,
    Height,
}

public enum VitalFlag { Normal, Low, High, CriticalLow, CriticalHigh }

/// <summary>
/// One measure's limits: <see cref="Min"/>–<see cref="Max"/> is what a human body can show (a
/// value outside is a typing error and is refused); the normal band is an adult's resting
/// reference; beyond the critical bounds a doctor is notified. Weight and height have no normal band.
/// </summary>
public sealed record VitalRange(
    VitalMeasure Measure,
    string Label,
    string Unit,
    decimal Min,
    decimal Max,
    decimal? NormalLow = null,
    decimal? NormalHigh = null,
    decimal? CriticalLow = null,
    decimal? CriticalHigh = null)
{
    public VitalFlag Classify(decimal value) => value switch
    {
        _ when value <= CriticalLow => VitalFlag.CriticalLow,
        _ when value >= CriticalHigh => VitalFlag.CriticalHigh,
        _ when value < NormalLow => VitalFlag.Low,
        _ when value > NormalHigh => VitalFlag.High,
        _ => VitalFlag.Normal,
    };

    /// <summary>Null when the value is possible; otherwise the message to show beside the field.</summary>
    public string? Validate(decimal value) =>
        value < Min || value > Max
            ? $"{Label} must be between {Min.ToString(CultureInfo.InvariantCulture)} and {Max.ToString(CultureInfo.InvariantCulture)} {Unit}."
            : null;
}

/// <summary>The one place the portal's vital-sign limits live; the doctor's chart and the patient's pages both read them.</summary>
public static class VitalRanges
{
    public static readonly VitalRange HeartRate = new(VitalMeasure.HeartRate, "Heart rate", "bpm", 20, 250, 60, 100, 40, 130);
    public static readonly VitalRange Systolic = new(VitalMeasure.Systolic, "Systolic pressure", "mmHg", 50, 260, 90, 129, 80, 180);
    public static readonly VitalRange Diastolic = new(VitalMeasure.Diastolic, "Diastolic pressure", "mmHg", 30, 160, 60, 84, 45, 120);
    public static readonly VitalRange Temperature = new(VitalMeasure.Temperature, "Temperature", "°C", 30, 45, 36.1m, 37.5m, 35, 39.5m);
    public static readonly VitalRange OxygenSaturation = new(VitalMeasure.OxygenSaturation, "Oxygen saturation", "%", 50, 100, 95, 100, 90, null);
    public static readonly VitalRange RespiratoryRate = new(VitalMeasure.RespiratoryRate, "Respiratory rate", "breaths/min", 4, 60, 12, 20, 8, 30);
    public static readonly VitalRange GlucoseLevel = new(VitalMeasure.GlucoseLevel, "Glucose", "mg/dL", 20, 600, 70, 140, 54, 300);
    public static readonly VitalRange Weight = new(VitalMeasure.Weight, "Weight", "kg", 0.5m, 499);
    public static readonly VitalRange Height = new(VitalMeasure.Height, "Height", "cm", 30.5m, 259);

    public static readonly IReadOnlyList<VitalRange> All =
        [HeartRate, Systolic, Diastolic, Temperature, OxygenSaturation, RespiratoryRate, GlucoseLevel, Weight, Height];

    public static VitalRange For(VitalMeasure measure) => All.Single(r => r.Measure == measure);

    public static bool IsCritical(VitalFlag flag) => flag is VitalFlag.CriticalLow or VitalFlag.CriticalHigh;
}

/// <summary>Blood pressure as stored: the text <c>systolic/diastolic</c>, e.g. <c>120/80</c>.</summary>
public readonly record struct BloodPressure(int Systolic, int Diastolic)
{
    public static bool TryParse(string? text, out BloodPressure pressure)
    {
        pressure = default;
        var parts = text?.Trim().Split('/');
        if (parts is not [var s, var d]
            || !int.TryParse(s.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var systolic)
            || !int.TryParse(d.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var diastolic))
            return false;
        pressure = new BloodPressure(systolic, diastolic);
        return true;
    }

    /// <summary>Null when plausible; otherwise the message for the field.</summary>
    public string? Validate() =>
        VitalRanges.Systolic.Validate(Systolic)
        ?? VitalRanges.Diastolic.Validate(Diastolic)
        ?? (Systolic <= Diastolic ? "Systolic pressure must be higher than diastolic pressure." : null);

    public override string ToString() => $"{Systolic}/{Diastolic}";
}
