namespace MediConnect.Portal.Features.Shared.Vitals;

/// <summary>
/// Where a trend chart puts things. The y axis is fitted to the values AND the normal bands with a
/// little padding, on "nice" ticks (1, 2, 2.5 or 5 × 10ⁿ), never past what a body can show; y is in
/// CSS pixels from the plot's top. x is a percentage of the plot's width, by time, so the drawing
/// follows its container's width while its text keeps its size.
/// </summary>
public sealed class VitalChartScale
{
    /// <summary>The first and last point sit this far (in % of the width) from the plot's edges, so their markers are whole.</summary>
    public const double EdgePercent = 3;

    const int TargetTicks = 6;
    static readonly decimal[] NiceSteps = [1m, 2m, 2.5m, 5m, 10m];

    readonly DateTime _from;
    readonly DateTime _to;

    /// <param name="values">Every value drawn (all series).</param>
    /// <param name="bands">The normal bands drawn (low, high).</param>
    /// <param name="times">The times of the points drawn.</param>
    /// <param name="plotHeight">The plot's height in CSS pixels.</param>
    /// <param name="floor">The lowest value the axis may show (e.g. the measure's possible minimum).</param>
    /// <param name="ceiling">The highest value the axis may show (e.g. 100 for oxygen saturation).</param>
    public VitalChartScale(IEnumerable<decimal> values, IEnumerable<(decimal Low, decimal High)> bands, IEnumerable<DateTime> times,
        int plotHeight, decimal? floor = null, decimal? ceiling = null)
    {
        var all = values.Concat(bands.SelectMany(b => new[] { b.Low, b.High })).ToList();
        if (all.Count == 0)
            throw new ArgumentException("A chart needs at least one value or band.", nameof(values));
        PlotHeight = plotHeight;

        decimal low = all.Min(), high = all.Max();
        var padding = high > low ? (high - low) * 0.08m : Math.Max(1m, Math.Abs(high) * 0.05m);
        low -= padding;
        high += padding;
        if (floor is { } f) low = Math.Max(low, f);
        if (ceiling is { } c) high = Math.Min(high, c);
        if (high <= low) high = low + 1;

        Step = NiceStep((high - low) / (TargetTicks - 1));
        Min = Math.Floor(low / Step) * Step;
        Max = Math.Ceiling(high / Step) * Step;
        if (floor is { } f2 && Min < f2) Min = f2;
        if (ceiling is { } c2 && Max > c2) Max = c2;
        Ticks = [.. Enumerable.Range(0, (int)((Max - Min) / Step) + 1).Select(i => Min + i * Step).Where(t => t <= Max)];

        var ordered = times.Order().ToList();
        _from = ordered.Count > 0 ? ordered[0] : default;
        _to = ordered.Count > 0 ? ordered[^1] : default;
    }

    public decimal Min { get; }
    public decimal Max { get; }
    public decimal Step { get; }
    public int PlotHeight { get; }

    /// <summary>The values the y axis labels, lowest first; all lie in [<see cref="Min"/>, <see cref="Max"/>].</summary>
    public IReadOnlyList<decimal> Ticks { get; }

    /// <summary>Pixels from the plot's top.</summary>
    public double Y(decimal value) => Math.Round((double)((Max - value) / (Max - Min)) * PlotHeight, 1);

    /// <summary>Percent of the plot's width: the earliest time at <see cref="EdgePercent"/>, the latest at 100 − that; a single time in the middle.</summary>
    public double X(DateTime time) =>
        _to <= _from ? 50 : Math.Round(EdgePercent + (100 - 2 * EdgePercent) * (time - _from) / (_to - _from), 2);

    /// <summary><paramref name="count"/> evenly spaced times from the first point to the last (one when they are the same).</summary>
    public IReadOnlyList<DateTime> TimeTicks(int count) =>
        _to <= _from ? [_from] : [.. Enumerable.Range(0, count).Select(i => _from + (_to - _from) * i / (count - 1))];

    /// <summary>
    /// The time axis' labels: four days ("Mar 3"); over less than four days three labels with day and
    /// time; within a day three times.
    /// </summary>
    public IReadOnlyList<(DateTime At, string Label)> TimeAxis()
    {
        var span = _to - _from;
        return [.. TimeTicks(span >= TimeSpan.FromDays(4) ? 4 : 3).Select(t => (t,
            span >= TimeSpan.FromDays(4) ? VitalChartText.Day(t)
            : span >= TimeSpan.FromDays(1) || _to == _from ? $"{VitalChartText.Day(t)} {VitalChartText.Time(t)}"
            : VitalChartText.Time(t)))];
    }

    static decimal NiceStep(decimal rough)
    {
        var magnitude = (decimal)Math.Pow(10, Math.Floor(Math.Log10((double)rough)));
        return NiceSteps.Select(s => s * magnitude).First(s => s >= rough);
    }
}
