using MediConnect.Portal.Features.Shared.Vitals;

namespace MediConnect.Portal.Tests.Features.Shared.Vitals;

public sealed class VitalChartScaleTests
{
    static readonly DateTime Monday = new(2026, 3, 2, 8, 0, 0, DateTimeKind.Utc);

    static VitalChartScale Scale(decimal[] values, (decimal, decimal)[] bands, VitalRange? range = null, int height = 180) =>
        new(values, bands, values.Select((_, i) => Monday.AddDays(i)), height, range?.Min, range?.Max);

    [Fact]
    public void ATemperatureOf36_5To38_2IsDrawnOnAnAxisFittedToItAndTheBandNotOn20To40()
    {
        var scale = Scale([36.5m, 37.0m, 38.2m], [(36.1m, 37.5m)], VitalRanges.Temperature);

        Assert.Equal([35.5m, 36m, 36.5m, 37m, 37.5m, 38m, 38.5m], scale.Ticks);
        Assert.Equal(0.5m, scale.Step);
        Assert.True(scale.Max - scale.Min <= 3, $"{scale.Min}–{scale.Max} is too wide for 36.1–38.2");
    }

    [Theory]
    [InlineData(new[] { 72.0, 88.0, 135.0 }, 60.0, 100.0)]
    [InlineData(new[] { 45.0, 52.0 }, 60.0, 100.0)]
    [InlineData(new[] { 150.0 }, 90.0, 129.0)]
    [InlineData(new[] { 61.2, 61.4, 61.3 }, 61.0, 61.0)]
    public void TheTicksTakeInTheBandAndEveryPointWithALittleRoom(double[] values, double low, double high)
    {
        var points = values.Select(v => (decimal)v).ToArray();
        var scale = Scale(points, [((decimal)low, (decimal)high)]);

        Assert.True(scale.Ticks[0] <= Math.Min(points.Min(), (decimal)low), $"first tick {scale.Ticks[0]}");
        Assert.True(scale.Ticks[^1] >= Math.Max(points.Max(), (decimal)high), $"last tick {scale.Ticks[^1]}");
        Assert.Equal(scale.Min, scale.Ticks[0]);
        Assert.Equal(scale.Max, scale.Ticks[^1]);
        Assert.InRange(scale.Ticks.Count, 4, 9);
        Assert.All(points, p => Assert.InRange(scale.Y(p), 1, 179));
        Assert.All(scale.Ticks.Zip(scale.Ticks.Skip(1)), pair => Assert.Equal(scale.Step, pair.Second - pair.First));
    }

    [Fact]
    public void TheAxisNeverGoesPastWhatTheMeasureCanShow()
    {
        var scale = Scale([97m, 99m, 100m], [(95m, 100m)], VitalRanges.OxygenSaturation);

        Assert.Equal(100m, scale.Max);
        Assert.Equal(100m, scale.Ticks[^1]);
        Assert.Equal(0, scale.Y(100m));
    }

    [Fact]
    public void ValuesGoUpTheYAxisAndTimeAlongTheXAxisWithinTheEdges()
    {
        var scale = new VitalChartScale([60m, 100m], [], [Monday, Monday.AddDays(10), Monday.AddDays(5)], 200);

        Assert.True(scale.Y(100m) < scale.Y(60m));
        Assert.Equal(200, scale.Y(scale.Min));
        Assert.Equal(VitalChartScale.EdgePercent, scale.X(Monday));
        Assert.Equal(50, scale.X(Monday.AddDays(5)));
        Assert.Equal(100 - VitalChartScale.EdgePercent, scale.X(Monday.AddDays(10)));
        Assert.Equal([Monday, Monday.AddDays(5), Monday.AddDays(10)], scale.TimeTicks(3));
        var axis = scale.TimeAxis();
        Assert.Equal(4, axis.Count);
        Assert.Equal(VitalChartText.Day(Monday), axis[0].Label);
        Assert.Equal(VitalChartText.Day(Monday.AddDays(10)), axis[^1].Label);
    }

    [Fact]
    public void WithinADayTheTimeAxisShowsTimes()
    {
        var scale = new VitalChartScale([72m, 80m], [], [Monday, Monday.AddHours(6)], 180);

        Assert.Equal([VitalChartText.Time(Monday), VitalChartText.Time(Monday.AddHours(3)), VitalChartText.Time(Monday.AddHours(6))],
            scale.TimeAxis().Select(t => t.Label));
    }

    [Fact]
    public void ASinglePointSitsInTheMiddleOnAnAxisAroundIt()
    {
        var scale = new VitalChartScale([72m], [], [Monday], 180);

        Assert.Equal(50, scale.X(Monday));
        Assert.Equal([Monday], scale.TimeTicks(4));
        Assert.InRange(scale.Y(72m), 1, 179);
        Assert.Equal($"{VitalChartText.Day(Monday)} {VitalChartText.Time(Monday)}", Assert.Single(scale.TimeAxis()).Label);
    }
}
