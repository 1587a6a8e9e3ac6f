using System.Globalization;

namespace MediConnect.Portal.Features.Shared.Vitals;

/// <summary>How a chart writes numbers and times: in the reader's culture, at most two decimals.</summary>
public static class VitalChartText
{
    public static string Number(decimal value) => value.ToString("0.##", CultureInfo.CurrentCulture);

    /// <summary>Date and time of a point, e.g. "3/12/2026 8:00 AM" (the culture's short date and time).</summary>
    public static string When(DateTime utc) => utc.ToLocalTime().ToString("g", CultureInfo.CurrentCulture);

    /// <summary>A short day such as "Mar 3" or "3 Mar": the culture's month-day pattern with abbreviated months.</summary>
    public static string Day(DateTime utc) => utc.ToLocalTime().ToString(ShortMonthDay, CultureInfo.CurrentCulture);

    public static string Time(DateTime utc) => utc.ToLocalTime().ToString("t", CultureInfo.CurrentCulture);

    public static string LongDay(DateTime utc) => utc.ToLocalTime().ToString("d", CultureInfo.CurrentCulture);

    /// <summary>The normal bands, e.g. "60–100" or "systolic 90–129, diastolic 60–84" (no unit).</summary>
    public static string Bands(IReadOnlyList<VitalChartSeries> series) => string.Join(", ", series.Where(s => s.Band is not null).Select(s =>
        $"{Prefix(series, s)}{Number(s.Band!.Value.Low)}–{Number(s.Band.Value.High)}"));

    /// <summary>A point's tooltip: series, value, unit, flag when out of range, date and time.</summary>
    public static string Tooltip(VitalChartSeries series, VitalChartPoint point) =>
        $"{series.Name} {Number(point.Value)} {series.Range.Unit}{(point.Flag == VitalFlag.Normal ? "" : $" ({VitalFlagDisplay.Text(point.Flag)})")}, {When(point.RecordedAt)}";

    /// <summary>What a chart shows, in a sentence (its accessible name): span, then per line lowest, highest, latest; and how many are out of range.</summary>
    public static string Summary(string title, IReadOnlyList<VitalChartSeries> series, int outOfRange)
    {
        var points = series.SelectMany(s => s.Points).ToList();
        var lines = string.Join("; ", series.Where(s => s.Points.Count > 0).Select(s =>
            $"{Prefix(series, s)}lowest {Number(s.Points.Min(p => p.Value))}, highest {Number(s.Points.Max(p => p.Value))}, latest {Number(s.Points[^1].Value)}"));
        var normal = series.Any(s => s.Band is not null) ? $" (normal {Bands(series)})" : "";
        return $"{title} trend in {series[0].Range.Unit}: {series.Max(s => s.Points.Count)} reading(s) from " +
            $"{LongDay(points.Min(p => p.RecordedAt))} to {LongDay(points.Max(p => p.RecordedAt))}; {lines}; {outOfRange} outside the normal range{normal}.";
    }

    /// <summary>"systolic " before a value when the chart has more than one line.</summary>
    public static string Prefix(IReadOnlyList<VitalChartSeries> series, VitalChartSeries line) =>
        series.Count > 1 ? line.Name.ToLowerInvariant() + " " : "";

    static string ShortMonthDay =>
        CultureInfo.CurrentCulture.DateTimeFormat.MonthDayPattern.Replace("MMMM", "MMM").Replace("dd", "d");
}
