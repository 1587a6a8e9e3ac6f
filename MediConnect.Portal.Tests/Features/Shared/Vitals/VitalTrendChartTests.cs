using Bunit;
using MediConnect.Portal.Tests.Fixtures;
using MediConnect.Portal.Features.Shared.Vitals;

namespace MediConnect.Portal.Tests.Features.Shared.Vitals;

public sealed class VitalTrendChartTests : PortalComponentTest
{
    static VitalReading Reading(int day, string? bloodPressure, int? heartRate = null, decimal? temperature = null) =>
        new(day, new DateTime(2026, 3, day, 8, 0, 0, DateTimeKind.Utc), heartRate, bloodPressure, temperature, null, null, null, null, null, "Manual Entry", null);

    [Fact]
    public void BloodPressureIsOneChartWithSystolicAndDiastolicEachWithItsBand()
    {
        IReadOnlyList<VitalReading> readings = [Reading(3, "150/95"), Reading(1, "120/80"), Reading(2, "125/82"), Reading(4, null, 70)];

        var cut = Render<VitalTrendChart>(p => p.Add(c => c.Readings, readings).Add(c => c.Measure, VitalMeasure.Systolic));

        Assert.Equal("Blood pressure (mmHg)", cut.Find(".mud-typography-subtitle1").TextContent.Trim());
        Assert.Equal("Blood pressure", cut.Find(".mud-typography-subtitle1 b").TextContent);
        Assert.Contains("Normal systolic 90–129, diastolic 60–84 mmHg", cut.Find(".normal-range-key").TextContent);
        Assert.Equal(["Systolic", "Diastolic"], cut.FindAll(".legend-series").Select(l => l.TextContent.Trim()));
        Assert.Equal(["Systolic", "Diastolic"], cut.FindAll("rect.normal-band").Select(b => b.GetAttribute("data-series")));
        Assert.Equal(2, cut.FindAll("polyline").Count);
        Assert.Equal(6, cut.FindAll(".vital-point").Count);

        var flags = cut.FindAll(".out-of-range-flag").Select(f => f.TextContent.Trim()).ToList();
        Assert.Equal(2, flags.Count);
        Assert.Contains(flags, f => f.Contains(": systolic 150 (high)"));
        Assert.Contains(flags, f => f.Contains(": diastolic 95 (high)"));
        Assert.Contains("Out of range (2)", cut.Markup);
        Assert.Matches(@"^Blood pressure trend in mmHg: 3 reading\(s\) from .+; systolic lowest 120, highest 150, latest 150; diastolic lowest 80, highest 95, latest 95; 2 outside the normal range \(normal systolic 90–129, diastolic 60–84\)\.$",
            cut.Find("[role='img']").GetAttribute("aria-label"));
    }

    [Fact]
    public void OutOfRangePointsAreTrianglesInAWarningColourAndEveryPointHasATooltip()
    {
        IReadOnlyList<VitalReading> readings = [Reading(1, null, 72), Reading(2, null, 135), Reading(3, null, 55)];

        var cut = Render<VitalTrendChart>(p => p.Add(c => c.Readings, readings).Add(c => c.Measure, VitalMeasure.HeartRate));

        var points = cut.FindAll(".vital-point");
        Assert.Equal(3, points.Count);
        Assert.Equal(["Normal", "CriticalHigh", "Low"], points.Select(p => p.GetAttribute("data-flag")));
        var shapes = points.Select(p => p.QuerySelector("path")!).ToList();
        Assert.Equal([VitalChartShapes.Circle, VitalChartShapes.High, VitalChartShapes.Low], shapes.Select(s => s.GetAttribute("d")));
        Assert.Equal(["#1565c0", VitalChartShapes.Critical, VitalChartShapes.Warning], shapes.Select(s => s.GetAttribute("fill")));
        Assert.Equal(2, cut.FindAll(".out-of-range-point").Count);
        Assert.Contains("above / below normal", cut.Find(".vital-chart-legend").TextContent);
        Assert.Contains("critical", cut.Find(".legend-critical").TextContent);

        var tooltips = points.Select(p => p.QuerySelector("title")!.TextContent).ToList();
        Assert.StartsWith("Heart rate 72 bpm, ", tooltips[0]);
        Assert.StartsWith("Heart rate 135 bpm (critically high), ", tooltips[1]);
        Assert.Contains(VitalChartText.When(readings[1].RecordedAt), tooltips[1]);
        Assert.Contains("135 (critically high)", cut.FindAll(".out-of-range-flag")[0].TextContent);
    }

    [Fact]
    public void TheBandIsShadedNotALegendEntryAndTheAxisFitsTheReadings()
    {
        IReadOnlyList<VitalReading> readings = [Reading(1, null, temperature: 36.5m), Reading(2, null, temperature: 37.0m), Reading(3, null, temperature: 38.2m)];

        var cut = Render<VitalTrendChart>(p => p.Add(c => c.Readings, readings).Add(c => c.Measure, VitalMeasure.Temperature));

        var band = Assert.Single(cut.FindAll("rect.normal-band"));
        Assert.True(double.Parse(band.GetAttribute("height")!, System.Globalization.CultureInfo.InvariantCulture) > 40);
        Assert.Empty(cut.FindAll(".legend-series"));
        Assert.DoesNotContain("Normal high", cut.Markup);
        var yLabels = cut.FindAll(".y-label").Select(t => t.TextContent).ToList();
        Assert.Equal(VitalChartText.Number(35.5m), yLabels[0]);
        Assert.Equal(VitalChartText.Number(38.5m), yLabels[^1]);
        Assert.All(cut.FindAll(".axis-label"), t => Assert.Equal("12", t.GetAttribute("font-size")));
        Assert.Equal(3, cut.FindAll(".x-label").Count);
        Assert.Single(cut.FindAll(".out-of-range-flag"));
    }

    [Fact]
    public void WithoutReadingsOfTheMeasureTheChartSaysSo()
    {
        var cut = Render<VitalTrendChart>(p => p.Add(c => c.Readings, [Reading(1, "120/80")]).Add(c => c.Measure, VitalMeasure.GlucoseLevel));

        Assert.Contains("No glucose readings in this range.", cut.Find(".no-readings").TextContent);
        Assert.Empty(cut.FindAll(".vital-trend-drawing"));
    }
}
