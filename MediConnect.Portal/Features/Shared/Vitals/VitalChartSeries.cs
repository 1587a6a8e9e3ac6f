namespace MediConnect.Portal.Features.Shared.Vitals;

/// <summary>One point of a trend chart: when, what, and how it compares with the normal band.</summary>
public sealed record VitalChartPoint(DateTime RecordedAt, decimal Value, VitalFlag Flag);

/// <summary>
/// One line of a trend chart, in time order. Blood pressure is one chart of two lines (systolic and
/// diastolic, each with its own band); every other measure is one line.
/// </summary>
public sealed record VitalChartSeries(VitalRange Range, string Name, string Colour, IReadOnlyList<VitalChartPoint> Points)
{
    public static IReadOnlyList<VitalChartSeries> For(VitalMeasure measure, IEnumerable<VitalReading> readings) =>
        measure is VitalMeasure.Systolic or VitalMeasure.Diastolic
            ? [Of(VitalRanges.Systolic, "Systolic", "#1565c0", readings), Of(VitalRanges.Diastolic, "Diastolic", "#6a1b9a", readings)]
            : [Of(VitalRanges.For(measure), VitalRanges.For(measure).Label, "#1565c0", readings)];

    public (decimal Low, decimal High)? Band =>
        Range.NormalLow is { } low && Range.NormalHigh is { } high ? (low, high) : null;

    static VitalChartSeries Of(VitalRange range, string name, string colour, IEnumerable<VitalReading> readings) =>
        new(range, name, colour, [.. readings
            .Select(r => (r.RecordedAt, Value: r.ValueOf(range.Measure)))
            .Where(x => x.Value is not null)
            .Select(x => new VitalChartPoint(x.RecordedAt, x.Value!.Value, range.Classify(x.Value!.Value)))
            .OrderBy(p => p.RecordedAt)]);
}

/// <summary>
/// The marks of a trend chart as SVG paths centred on (0, 0): a series' normal points are circles
/// (the second series' squares); out-of-range points are triangles, ▲ above and ▼ below the band,
/// amber when out of range and red when critical: shape and colour, never colour alone.
/// </summary>
public static class VitalChartShapes
{
    public const string Warning = "#b45309";
    public const string Critical = "#c62828";

    public const string Circle = "M-3.5,0a3.5,3.5 0 1,0 7,0a3.5,3.5 0 1,0 -7,0Z";
    public const string Square = "M-3.5,-3.5h7v7h-7Z";
    public const string High = "M0,-6.5L6,4L-6,4Z";
    public const string Low = "M0,6.5L6,-4L-6,-4Z";

    public static string Normal(int seriesIndex) => seriesIndex == 0 ? Circle : Square;

    /// <summary>The line's dashes: the first series solid, the second dashed.</summary>
    public static string Dash(int seriesIndex) => seriesIndex == 0 ? "none" : "6 3";

    public static string For(VitalFlag flag, int seriesIndex) => flag switch
    {
        VitalFlag.High or VitalFlag.CriticalHigh => High,
        VitalFlag.Low or VitalFlag.CriticalLow => Low,
        _ => Normal(seriesIndex),
    };

    /// <summary>The colour of an out-of-range mark, or null for a normal point (drawn in its series' colour).</summary>
    public static string? Colour(VitalFlag flag) => flag switch
    {
        VitalFlag.Normal => null,
        VitalFlag.Low or VitalFlag.High => Warning,
        _ => Critical,
    };
}
