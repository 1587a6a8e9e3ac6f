using System.Globalization;
using MediConnect.Portal.Features.Shared.Dates;
using MediConnect.Portal.Localization;
using Microsoft.Extensions.Localization;

namespace MediConnect.Portal.Features.Shared.Vitals;

/// <summary>
/// How a chart writes its texts (from <see cref="VitalsText"/>, handed in by the component), numbers and
/// times: in the reader's culture, at most two decimals.
/// </summary>
public static class VitalChartText
{
    public static string Number(decimal value) => value.ToString("0.##", CultureInfo.CurrentCulture);

    /// <summary>Date and time of a point, e.g. "3/12/2026 8:00 AM" (the culture's short date and time).</summary>
    public static string When(DateTime utc) => DateText.DateTime(utc);

    /// <summary>A short day such as "Mar 3" or "3 Mar": the culture's month-day pattern with abbreviated months.</summary>
    public static string Day(DateTime utc) => DateText.DayAndMonth(utc);

    public static string Time(DateTime utc) => DateText.Time(utc);

    public static string LongDay(DateTime utc) => DateText.Date(utc);

    /// <summary>The chart's title: "Blood pressure" for the two-line chart, else the measure's name.</summary>
    public static string Title(IStringLocalizer<VitalsText> text, VitalMeasure measure) =>
        measure is VitalMeasure.Systolic or VitalMeasure.Diastolic ? text["Chart.BloodPressure"] : VitalMeasureDisplay.Label(text, measure);

    /// <summary>A line's name: "Systolic" or "Diastolic" on the blood-pressure chart, else the measure's name.</summary>
    public static string Name(IStringLocalizer<VitalsText> text, VitalChartSeries line) => line.Range.Measure switch
    {
        VitalMeasure.Systolic => text["Chart.Systolic"],
        VitalMeasure.Diastolic => text["Chart.Diastolic"],
        var measure => VitalMeasureDisplay.Label(text, measure),
    };

    public static string Unit(IStringLocalizer<VitalsText> text, IReadOnlyList<VitalChartSeries> series) =>
        VitalMeasureDisplay.Unit(text, series[0].Range.Measure);

    /// <summary>The normal bands, e.g. "60–100" or "systolic 90–129, diastolic 60–84" (no unit).</summary>
    public static string Bands(IStringLocalizer<VitalsText> text, IReadOnlyList<VitalChartSeries> series) =>
        string.Join(", ", series.Where(s => s.Band is not null).Select(s =>
            text["Chart.Band", Prefix(text, series, s), Number(s.Band!.Value.Low), Number(s.Band.Value.High)].Value));

    /// <summary>A point's tooltip: series, value, unit, flag when out of range, date and time.</summary>
    public static string Tooltip(IStringLocalizer<VitalsText> text, VitalChartSeries series, VitalChartPoint point) =>
        point.Flag == VitalFlag.Normal
            ? text["Chart.Tooltip", Name(text, series), Number(point.Value), VitalMeasureDisplay.Unit(text, series.Range.Measure), When(point.RecordedAt)]
            : text["Chart.TooltipFlagged", Name(text, series), Number(point.Value), VitalMeasureDisplay.Unit(text, series.Range.Measure),
                VitalFlagDisplay.Text(text, point.Flag), When(point.RecordedAt)];

    /// <summary>What a chart shows, in a sentence (its accessible name): span, then per line lowest, highest, latest; and how many are out of range.</summary>
    public static string Summary(IStringLocalizer<VitalsText> text, VitalMeasure measure, IReadOnlyList<VitalChartSeries> series, int outOfRange)
    {
        var points = series.SelectMany(s => s.Points).ToList();
        var lines = string.Join("; ", series.Where(s => s.Points.Count > 0).Select(s => text["Chart.SummaryLine", Prefix(text, series, s),
            Number(s.Points.Min(p => p.Value)), Number(s.Points.Max(p => p.Value)), Number(s.Points[^1].Value)].Value));
        var normal = series.Any(s => s.Band is not null) ? text["Chart.SummaryNormal", Bands(text, series)].Value : "";
        return text["Chart.Summary", Title(text, measure), Unit(text, series), series.Max(s => s.Points.Count),
            LongDay(points.Min(p => p.RecordedAt)), LongDay(points.Max(p => p.RecordedAt)), lines, outOfRange, normal];
    }

    /// <summary>"systolic " before a value when the chart has more than one line.</summary>
    public static string Prefix(IStringLocalizer<VitalsText> text, IReadOnlyList<VitalChartSeries> series, VitalChartSeries line) =>
        series.Count > 1 ? text["Chart.LinePrefix", Name(text, line).ToLower(CultureInfo.CurrentCulture)] : "";
}
