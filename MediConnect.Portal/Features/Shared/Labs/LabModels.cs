using System.Globalization;

namespace MediConnect.Portal.Features.Shared.Labs;

/// <summary>A test of the catalog: LOINC code and name, the UCUM unit its results are stored in.</summary>
public sealed record LabTest(string LoincCode, string Name, string ShortName, string Unit, short Decimals);

/// <summary>A common panel (LOINC panel code) and its tests in order.</summary>
public sealed record LabPanel(string Code, string Name, IReadOnlyList<string> LoincCodes);

/// <summary>The flag the database computed from the range that applied (null: no range for this patient).</summary>
public static class LabFlags
{
    public const string Normal = "normal";
    public const string Low = "low";
    public const string High = "high";
    public const string CriticalLow = "critical_low";
    public const string CriticalHigh = "critical_high";

    public static bool IsCritical(string? flag) => flag is CriticalLow or CriticalHigh;

    public static bool IsAbnormal(string? flag) => flag is Low or High or CriticalLow or CriticalHigh;

    /// <summary>What a person reads: "Critically high", "Low", "Normal", or "No range".</summary>
    public static string Text(string? flag) => flag switch
    {
        CriticalLow => "Critically low",
        CriticalHigh => "Critically high",
        Low => "Low",
        High => "High",
        Normal => "Normal",
        _ => "No range",
    };
}

/// <summary>One stored result, with the range that applied and its flag.</summary>
public sealed record LabResultRow(
    int Id, int PatientId, string LoincCode, string TestName, string ShortName, decimal Value, string Unit, short Decimals,
    decimal? RangeLow, decimal? RangeHigh, decimal? CriticalLow, decimal? CriticalHigh, string? Flag, string Status,
    DateTime SpecimenAt, DateTime ResultedAt, int OrderingDoctorId, string OrderingDoctorName, string? PanelCode)
{
    public const string SelectSql = """
        SELECT r.id, r.patient_id, r.loinc_code, t.name AS test_name, t.short_name, r.value, r.unit, t.decimals,
               r.range_low, r.range_high, r.critical_low, r.critical_high, r.flag, r.status,
               r.specimen_at, r.resulted_at, r.ordering_doctor_id, d.name AS ordering_doctor_name, r.panel_code
        FROM lab_results r
        JOIN lab_tests t ON t.loinc_code = r.loinc_code
        JOIN users d ON d.id = r.ordering_doctor_id
        """;

    public bool IsCritical => LabFlags.IsCritical(Flag);

    public string ValueText => Format(Value);

    /// <summary>"3.5–5.1 mmol/L", "≤ 200 mg/dL", "≥ 60 …", or "—" when no range applied.</summary>
    public string RangeText => (RangeLow, RangeHigh) switch
    {
        ({ } low, { } high) => $"{Format(low)}–{Format(high)} {Unit}",
        (null, { } high) => $"≤ {Format(high)} {Unit}",
        ({ } low, null) => $"≥ {Format(low)} {Unit}",
        _ => "—",
    };

    string Format(decimal value) => value.ToString("N" + Decimals, CultureInfo.InvariantCulture).Replace(",", "", StringComparison.Ordinal);
}
