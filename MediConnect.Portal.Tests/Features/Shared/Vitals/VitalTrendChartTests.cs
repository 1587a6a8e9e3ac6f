using Bunit;
using MediConnect.Portal.Tests.Fixtures;
using MediConnect.Portal.Features.Shared.Vitals;

namespace MediConnect.Portal.Tests.Features.Shared.Vitals;

public sealed class VitalTrendChartTests : PortalComponentTest
{
    static VitalReading Reading(int day, string? bloodPressure, int? heartRate = null) =>
        new(day, new DateTime(2026, 3, day, 8, 0, 0, DateTimeKind.Utc), heartRate, bloodPressure, null, null, null, null, null, null, "Manual Entry", null);

    [Fact]
    public void TheChartDrawsTheReadingsWithTheNormalBandAndFlagsOutOfRangeOnes()
    {
        IReadOnlyList<VitalReading> readings = [Reading(3, "150/95"), Reading(1, "120/80"), Reading(2, "125/82"), Reading(4, null, 70)];

        var cut = Render<VitalTrendChart>(p => p.Add(c => c.Readings, readings).Add(c => c.Measure, VitalMeasure.Systolic));

        Assert.Contains("Systolic pressure", cut.Markup);
        Assert.Contains("Normal 90–129 mmHg", cut.Markup);
        Assert.NotEmpty(cut.FindAll("svg"));
        Assert.Contains("Normal high", cut.Markup);
        Assert.Contains("Normal low", cut.Markup);
        var flag = Assert.Single(cut.FindAll(".out-of-range-flag"));
        Assert.Contains("Mar 3: 150 (high)", flag.TextContent);
        Assert.Contains("Out of range (1)", cut.Markup);
    }

    [Fact]
    public void ACriticalReadingIsFlaggedAsCritical()
    {
        IReadOnlyList<VitalReading> readings = [Reading(1, null, 72), Reading(2, null, 135)];

        var cut = Render<VitalTrendChart>(p => p.Add(c => c.Readings, readings).Add(c => c.Measure, VitalMeasure.HeartRate));

        Assert.Contains("135 (critically high)", cut.Find(".out-of-range-flag").TextContent);
    }

    [Fact]
    public void WithoutReadingsOfTheMeasureTheChartSaysSo()
    {
        var cut = Render<VitalTrendChart>(p => p.Add(c => c.Readings, [Reading(1, "120/80")]).Add(c => c.Measure, VitalMeasure.GlucoseLevel));

        Assert.Contains("No glucose readings in this range.", cut.Find(".no-readings").TextContent);
        Assert.Empty(cut.FindAll("svg"));
    }
}
