using System.Globalization;
using System.Text;
using MediConnect.Portal.Benchmarks.Pages;

namespace MediConnect.Portal.Benchmarks.Report;

/// <summary>
/// <c>report</c>: the one table of <c>./bench.sh</c> (Markdown, so it pastes into the README) from
/// <c>figures.tsv</c>, every cell the median over the runs with (min–max), then which goals hold.
/// Each row sets the portal beside its floor: pgbench on the same SQL, the bare endpoint, a bare start.
/// </summary>
public static class ReportCommand
{
    public static int Run(Options options)
    {
        var dir = options.Required("results");
        var figures = Figures.Read(Path.Combine(dir, "figures.tsv"));
        var pageScales = figures.All.Where(f => f.Section == "pages").Select(f => ScaleOf(f.Subject)).Distinct()
            .OrderBy(s => decimal.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var (small, large) = (pageScales.FirstOrDefault() ?? "", pageScales.LastOrDefault() ?? "");
        var output = new StringBuilder();
        var httpScale = figures.All.FirstOrDefault(f => f.Metric == "scale of the HTTP and memory figures")?.Value.ToString(CultureInfo.InvariantCulture) ?? large;
        var loads = figures.All.Where(f => f.Section == "machine" && f.Metric.StartsWith("load", StringComparison.Ordinal)).GroupBy(f => f.Metric)
            .Select(g => $"{g.Key} {string.Join(", ", g.Select(f => f.Value.ToString("0.0", CultureInfo.InvariantCulture)))}");
        output.AppendLine(CultureInfo.InvariantCulture, $"{figures.Runs} run(s); each cell: median (min–max) over the runs. Machine load (1-minute average): {string.Join("; ", loads)}.");
        output.AppendLine();
        output.AppendLine("| what | scale | floor: pgbench / bare | portal | portal ÷ floor | portal p50 ms | portal p95 ms | p50 growth |");
        output.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");

        var goals = new Goals();
        foreach (var page in PageLoad.All.Select(p => p.Name).Where(name => pageScales.Any(s => figures.PerRun($"{name}@{s}", "service tx/s").Count > 0)))
        {
            foreach (var scale in pageScales)
            {
                var subject = $"{page}@{scale}";
                var ratio = Spread.Of(figures.PerRun((subject, "service tx/s"), (subject, "pgbench tx/s"), (s, p) => s / p));
                var p95 = Spread.Of(figures.PerRun(subject, "service p95 ms"));
                var growth = scale == large && small != large
                    ? Spread.Of(figures.PerRun(($"{page}@{large}", "service p50 ms"), ($"{page}@{small}", "service p50 ms"), (l, s) => l / s))
                    : default;
                output.AppendLine(CultureInfo.InvariantCulture,
                    $"| {(scale == pageScales[0] ? page : "")} | {scale} | {Cell(figures, subject, "pgbench tx/s", "0")} tx/s | {Cell(figures, subject, "service tx/s", "0")} tx/s | {ratio.Format("0.00")} | {Cell(figures, subject, "service p50 ms", "0.0")} | {p95.Format("0.0")} | {growth.Format("0.00")} |");
                var added = scale == large && small != large
                    ? Spread.Of(figures.PerRun(($"{page}@{large}", "service p50 ms"), ($"{page}@{small}", "service p50 ms"), (l, s) => l - s)).Median
                    : 0;
                goals.Page(page, scale, ratio, scale == large ? p95 : default, growth, added);
            }
        }

        foreach (var (subject, floorMetric, metric, unit) in new[]
        {
            ("GET /doctor", "bare req/s", "portal req/s", "req/s"),
        })
        {
            var ratio = Spread.Of(figures.PerRun((subject, metric), (subject, floorMetric), (p, b) => p / b));
            output.AppendLine(CultureInfo.InvariantCulture,
                $"| {subject}: server render (signed in) vs bare endpoint, wrk | {httpScale} | {Cell(figures, subject, floorMetric, "0")} {unit} | {Cell(figures, subject, metric, "0")} {unit} | {ratio.Format("0.00")} | {Cell(figures, subject, "portal p50 ms", "0.0")} | p99 {Cell(figures, subject, "portal p99 ms", "0.0")} (bare p99 {Cell(figures, subject, "bare p99 ms", "0.0")}) | |");
            goals.Http(ratio);
        }

        foreach (var row in figures.All.Where(f => f.Section is "memory" or "startup").Select(f => (f.Section, f.Subject)).Distinct())
        {
            var metrics = figures.All.Where(f => f.Subject == row.Subject).Select(f => f.Metric).Distinct().ToList();
            var portal = metrics.First(m => m.StartsWith("portal", StringComparison.Ordinal));
            var floor = metrics.FirstOrDefault(m => m.StartsWith("bare", StringComparison.Ordinal));
            var unit = portal[(portal.LastIndexOf(' ') + 1)..];
            var ratio = floor is null ? default : Spread.Of(figures.PerRun((row.Subject, portal), (row.Subject, floor), (p, b) => p / b));
            output.AppendLine(CultureInfo.InvariantCulture,
                $"| {row.Subject} | {(row.Section == "memory" ? httpScale : "")} | {(floor is null ? "" : Cell(figures, row.Subject, floor, "0") + " " + unit)} | {Cell(figures, row.Subject, portal, "0")} {unit} | {ratio.Format("0.00")} | | | |");
        }

        output.AppendLine();
        output.Append(goals.Summary(small, large));
        if (goals.Grown.Count > 0)
        {
            output.AppendLine();
            output.AppendLine(CultureInfo.InvariantCulture, $"Plans (EXPLAIN ANALYZE, BUFFERS) of the pages whose p50 grew more than 1.5×:");
            foreach (var page in goals.Grown)
                output.AppendLine(CultureInfo.InvariantCulture, $"  {Path.Combine(dir, "plans", $"{PagesCommand.Slug(page)}@{large}.txt")}");
        }
        Console.Write(output);
        File.WriteAllText(Path.Combine(dir, "report.md"), output.ToString());
        return 0;
    }

    static string ScaleOf(string subject) => subject[(subject.LastIndexOf('@') + 1)..];

    static string Cell(Figures figures, string subject, string metric, string format) => Spread.Of(figures.PerRun(subject, metric)).Format(format);

    /// <summary>The four goals of issue 15, judged on the medians.</summary>
    sealed class Goals
    {
        readonly List<string> _slow = [], _heavy = [], _slowPages = [];
        string? _http;
        bool _pages, _growth, _largeP95;
        public List<string> Grown { get; } = [];

        public void Page(string page, string scale, Spread ratio, Spread largeP95, Spread growth, double addedMs)
        {
            (_pages, _growth, _largeP95) = (_pages || ratio.Measured, _growth || growth.Measured, _largeP95 || largeP95.Measured);
            if (ratio.Measured && ratio.Median < 0.7) _slow.Add($"{page} @{scale} ({ratio.Median:0.00})");
            if (growth.Measured && growth.Median > 1.5) { _heavy.Add($"{page} ({growth.Median:0.00}×, {addedMs:+0.0;-0.0} ms)"); Grown.Add(page); }
            if (largeP95.Measured && largeP95.Median > 200) _slowPages.Add($"{page} ({largeP95.Median:0} ms)");
        }

        public void Http(Spread ratio) =>
            _http = !ratio.Measured ? "not measured" : ratio.Median >= 0.5 ? $"holds ({ratio.Median:0.00}×)" : $"fails ({ratio.Median:0.00}×)";

        public string Summary(string small, string large) => string.Create(CultureInfo.InvariantCulture, $"""
            Goals (medians):
            - every page through the services ≥ 0.7× pgbench on the same SQL: {Verdict(_slow, _pages)}
            - p50 at {Scale(large, "the largest scale")} ≤ 1.5× p50 at {Scale(small, "the smallest")}: {Verdict(_heavy, _growth)}
            - GET /doctor server render ≥ 0.5× the bare endpoint's req/s: {_http ?? "not measured"}
            - no page above 200 ms p95 at {Scale(large, "the largest scale")} with the benchmark's clients: {Verdict(_slowPages, _largeP95)}

            """);

        // No page measured in this run: no scales to name.
        static string Scale(string scale, string none) => scale == "" ? none : $"scale {scale}";

        static string Verdict(List<string> failures, bool measured) =>
            !measured ? "not measured" : failures.Count == 0 ? "holds" : $"fails for {string.Join(", ", failures)}";
    }
}
