using System.Globalization;
using MediConnect.Portal.Security;
using MediConnect.Portal.Features.Shared.Vitals;

namespace MediConnect.Portal.Features.Patient.Vitals;

/// <summary>
/// A reading as typed into the form: every measure optional, text as entered. <see cref="Parse"/>
/// turns it into a <see cref="VitalReadingInput"/> or per-field messages; the limits come from
/// <see cref="VitalRanges"/> and <see cref="BloodPressure"/> only.
/// </summary>
public sealed class VitalReadingDraft
{
    public string? HeartRate { get; set; }
    public string? BloodPressure { get; set; }
    public string? Temperature { get; set; }
    public string? OxygenSaturation { get; set; }
    public string? RespiratoryRate { get; set; }
    public string? GlucoseLevel { get; set; }
    public string? Weight { get; set; }
    public string? Height { get; set; }
    public string? Notes { get; set; }

    /// <summary>The typed reading and, per field name (the property names above), what is wrong with it.</summary>
    public (VitalReadingInput Input, IReadOnlyDictionary<string, string> Errors) Parse()
    {
        var errors = new Dictionary<string, string>();
        var input = new VitalReadingInput(
            Whole(nameof(HeartRate), HeartRate, VitalRanges.HeartRate, errors),
            Pressure(BloodPressure, errors),
            Number(nameof(Temperature), Temperature, VitalRanges.Temperature, errors),
            Whole(nameof(OxygenSaturation), OxygenSaturation, VitalRanges.OxygenSaturation, errors),
            Whole(nameof(RespiratoryRate), RespiratoryRate, VitalRanges.RespiratoryRate, errors),
            Whole(nameof(GlucoseLevel), GlucoseLevel, VitalRanges.GlucoseLevel, errors),
            Number(nameof(Weight), Weight, VitalRanges.Weight, errors),
            Number(nameof(Height), Height, VitalRanges.Height, errors),
            string.IsNullOrWhiteSpace(Notes) ? null : Notes.Trim());
        var parseErrors = errors.Count;
        foreach (var (field, message) in input.Validate())
            if (field != "" || parseErrors == 0)
                errors.TryAdd(field, message);
        return (input, errors);
    }

    static int? Whole(string field, string? text, VitalRange range, Dictionary<string, string> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        if (int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            return value;
        errors[field] = $"{range.Label} must be a whole number ({range.Unit}).";
        return null;
    }

    static decimal? Number(string field, string? text, VitalRange range, Dictionary<string, string> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        if (decimal.TryParse(text.Trim().Replace(',', '.'), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            return value;
        errors[field] = $"{range.Label} must be a number ({range.Unit}).";
        return null;
    }

    static BloodPressure? Pressure(string? text, Dictionary<string, string> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        if (Shared.Vitals.BloodPressure.TryParse(text, out var pressure))
            return pressure;
        errors[nameof(BloodPressure)] = "Blood pressure must be systolic/diastolic, e.g. 120/80.";
        return null;
    }
}

/// <summary>A reading to record: any subset of the measures, at least one.</summary>
public sealed record VitalReadingInput(
    int? HeartRate = null,
    BloodPressure? BloodPressure = null,
    decimal? Temperature = null,
    int? OxygenSaturation = null,
    int? RespiratoryRate = null,
    int? GlucoseLevel = null,
    decimal? Weight = null,
    decimal? Height = null,
    string? Notes = null)
{
    public static readonly TextField NotesField = new("Notes", 1000, TextKind.Lines);

    /// <summary>The measures present, with the range each is judged by (blood pressure as its two parts).</summary>
    public IEnumerable<(string Field, VitalRange Range, decimal Value)> Measures()
    {
        if (HeartRate is { } hr) yield return (nameof(HeartRate), VitalRanges.HeartRate, hr);
        if (BloodPressure is { } bp)
        {
            yield return (nameof(BloodPressure), VitalRanges.Systolic, bp.Systolic);
            yield return (nameof(BloodPressure), VitalRanges.Diastolic, bp.Diastolic);
        }
        if (Temperature is { } t) yield return (nameof(Temperature), VitalRanges.Temperature, t);
        if (OxygenSaturation is { } o) yield return (nameof(OxygenSaturation), VitalRanges.OxygenSaturation, o);
        if (RespiratoryRate is { } rr) yield return (nameof(RespiratoryRate), VitalRanges.RespiratoryRate, rr);
        if (GlucoseLevel is { } g) yield return (nameof(GlucoseLevel), VitalRanges.GlucoseLevel, g);
        if (Weight is { } w) yield return (nameof(Weight), VitalRanges.Weight, w);
        if (Height is { } h) yield return (nameof(Height), VitalRanges.Height, h);
    }

    /// <summary>Per field, what makes the reading impossible; empty when it can be recorded.</summary>
    public IReadOnlyDictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>();
        if (BloodPressure is { } bp && bp.Validate() is { } bpError)
            errors[nameof(BloodPressure)] = bpError;
        foreach (var (field, range, value) in Measures())
            if (field != nameof(BloodPressure) && range.Validate(value) is { } error)
                errors.TryAdd(field, error);
        if (Temperature is { } t && decimal.Round(t, 2) != t)
            errors.TryAdd(nameof(Temperature), "Temperature takes at most two decimals.");
        if (Weight is { } w && decimal.Round(w, 2) != w)
            errors.TryAdd(nameof(Weight), "Weight takes at most two decimals.");
        if (Height is { } h && decimal.Round(h, 2) != h)
            errors.TryAdd(nameof(Height), "Height takes at most two decimals.");
        errors.Check(nameof(Notes), NotesField, Notes);
        if (!Measures().Any() && errors.Count == 0)
            errors[""] = "Enter at least one measurement.";
        return errors;
    }

    /// <summary>Each measure outside its normal band, with its flag.</summary>
    public IReadOnlyList<VitalFinding> Findings() =>
        [.. Measures()
            .Select(m => new VitalFinding(m.Range, m.Value, m.Range.Classify(m.Value)))
            .Where(f => f.Flag != VitalFlag.Normal)];
}

/// <summary>One measure of a reading outside its normal band.</summary>
public sealed record VitalFinding(VitalRange Range, decimal Value, VitalFlag Flag)
{
    public bool IsCritical => VitalRanges.IsCritical(Flag);

    public string Describe() => Flag switch
    {
        VitalFlag.CriticalLow => $"{Range.Label} {Value.ToString(CultureInfo.InvariantCulture)} {Range.Unit} is critically low",
        VitalFlag.CriticalHigh => $"{Range.Label} {Value.ToString(CultureInfo.InvariantCulture)} {Range.Unit} is critically high",
        VitalFlag.Low => $"{Range.Label} {Value.ToString(CultureInfo.InvariantCulture)} {Range.Unit} is below normal",
        _ => $"{Range.Label} {Value.ToString(CultureInfo.InvariantCulture)} {Range.Unit} is above normal",
    };
}

