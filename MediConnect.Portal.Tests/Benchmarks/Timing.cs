using System.Diagnostics;
using System.Globalization;

namespace MediConnect.Portal.Tests.Benchmarks;

/// <summary>How the benchmarks time an action: warm-ups first, then median and p95 of the runs.</summary>
static class Timing
{
    public static async Task<List<double>> TimeAsync(Func<Task> action, int runs = 30)
    {
        for (var i = 0; i < 3; i++)
            await action();
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await action();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        return times;
    }

    public static string Format(List<double> times)
    {
        var sorted = times.Order().ToList();
        var median = sorted[sorted.Count / 2];
        var p95 = sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(sorted.Count * 0.95) - 1)];
        return string.Create(CultureInfo.InvariantCulture, $"median {median,7:F1} ms   p95 {p95,7:F1} ms");
    }
}
