using System.Globalization;

namespace MediConnect.Portal.Benchmarks.Report;

/// <summary>One measured value: which run, which part, what was measured, the metric and the value.</summary>
public sealed record Figure(int Run, string Section, string Subject, string Metric, double Value);

/// <summary>The lines ./bench.sh and the harness append to <c>figures.tsv</c>, and their summaries over runs.</summary>
public sealed class Figures(IReadOnlyList<Figure> all)
{
    public IReadOnlyList<Figure> All => all;

    public static Figures Read(string file) => new([.. File.ReadLines(file)
        .Select(line => line.Split('\t'))
        .Where(f => f.Length == 5 && double.TryParse(f[4], CultureInfo.InvariantCulture, out _))
        .Select(f => new Figure(int.Parse(f[0], CultureInfo.InvariantCulture), f[1], f[2], f[3], double.Parse(f[4], CultureInfo.InvariantCulture)))]);

    public int Runs => all.Where(f => f.Run > 0).Select(f => f.Run).Distinct().Count();

    /// <summary>The value in each run (runs that did not measure it left out).</summary>
    public IReadOnlyList<double> PerRun(string subject, string metric) =>
        [.. all.Where(f => f.Subject == subject && f.Metric == metric).GroupBy(f => f.Run).Select(g => g.Last().Value)];

    /// <summary>A value derived per run from two others (a ratio), for the runs that measured both.</summary>
    public IReadOnlyList<double> PerRun((string Subject, string Metric) top, (string Subject, string Metric) bottom, Func<double, double, double> combine)
    {
        var a = all.Where(f => f.Subject == top.Subject && f.Metric == top.Metric).GroupBy(f => f.Run).ToDictionary(g => g.Key, g => g.Last().Value);
        var b = all.Where(f => f.Subject == bottom.Subject && f.Metric == bottom.Metric).GroupBy(f => f.Run).ToDictionary(g => g.Key, g => g.Last().Value);
        return [.. a.Keys.Intersect(b.Keys).Order().Select(run => combine(a[run], b[run]))];
    }
}

/// <summary>Min, median and max of a figure over the runs.</summary>
public readonly record struct Spread(double Min, double Median, double Max, int Count)
{
    public static Spread Of(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
            return new Spread(double.NaN, double.NaN, double.NaN, 0);
        var sorted = values.Order().ToArray();
        var median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        return new Spread(sorted[0], median, sorted[^1], sorted.Length);
    }

    public bool Measured => Count > 0;

    /// <summary>"median (min–max)", or the one value of a single run, or "–".</summary>
    public string Format(string format) =>
        Count == 0 ? "–"
        : Count == 1 || Min == Max ? Median.ToString(format, CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{Median.ToString(format, CultureInfo.InvariantCulture)} ({Min.ToString(format, CultureInfo.InvariantCulture)}–{Max.ToString(format, CultureInfo.InvariantCulture)})");
}
