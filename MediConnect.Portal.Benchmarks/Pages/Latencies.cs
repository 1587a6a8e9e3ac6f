namespace MediConnect.Portal.Benchmarks.Pages;

/// <summary>Transactions per second and latency percentiles of one side of a page measurement.</summary>
public sealed record Latencies(double TransactionsPerSecond, double P50Ms, double P95Ms, int Count)
{
    public static Latencies From(IReadOnlyCollection<double> milliseconds, TimeSpan elapsed)
    {
        var sorted = milliseconds.Order().ToArray();
        return new Latencies(sorted.Length / elapsed.TotalSeconds, Percentile(sorted, 0.50), Percentile(sorted, 0.95), sorted.Length);
    }

    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(sorted.Length * p) - 1, 0, sorted.Length - 1)];
}
