namespace MediConnect.Portal.Features.Shared.Vitals;

/// <summary>
/// What a trend chart draws for a period: per time bucket the lowest and the highest value of each
/// measure (one point when the bucket holds one reading), so a year of a watch's readings is at most
/// two points a day and no value outside its normal band is averaged away. <see cref="Readings"/>
/// counts the readings behind the points.
/// </summary>
public sealed record VitalTrend(IReadOnlyList<VitalReading> Points, int Readings, TimeSpan Bucket)
{
    /// <summary>About 200 buckets or fewer for any period the pages offer (7 days to a year).</summary>
    public static TimeSpan BucketFor(TimeSpan period) =>
        period <= TimeSpan.FromDays(7) ? TimeSpan.FromHours(1)
        : period <= TimeSpan.FromDays(31) ? TimeSpan.FromHours(4)
        : period <= TimeSpan.FromDays(92) ? TimeSpan.FromHours(12)
        : TimeSpan.FromDays(1);
}

/// <summary>One bucket of readings as <c>VitalsReader.TrendAsync</c> reads it: count, and each measure's lowest and highest value.</summary>
sealed record VitalBucket(
    DateTime BucketStart, int Readings,
    int? HeartRateMin, int? HeartRateMax, int? SystolicMin, int? SystolicMax, int? DiastolicMin, int? DiastolicMax,
    decimal? TemperatureMin, decimal? TemperatureMax, int? OxygenSaturationMin, int? OxygenSaturationMax,
    int? RespiratoryRateMin, int? RespiratoryRateMax, decimal? WeightMin, decimal? WeightMax,
    decimal? HeightMin, decimal? HeightMax, int? GlucoseLevelMin, int? GlucoseLevelMax)
{
    /// <summary>
    /// The lowest values at the bucket's start and, half a bucket later, each highest value that differs
    /// from its lowest: a measure taken once in the bucket is one point, even when another measure of the
    /// bucket has two (a glucose of 290 among heart-rate readings is not charted, and flagged, twice).
    /// </summary>
    public IEnumerable<VitalReading> Points(TimeSpan bucket)
    {
        var source = Readings == 1 ? "1 reading" : $"{Readings} readings";
        var low = new VitalReading(0, BucketStart, HeartRateMin, Pressure(SystolicMin, DiastolicMin), TemperatureMin, OxygenSaturationMin,
            RespiratoryRateMin, WeightMin, HeightMin, GlucoseLevelMin, source, null);
        var high = new VitalReading(0, BucketStart + bucket / 2, Higher(HeartRateMin, HeartRateMax),
            SystolicMin == SystolicMax && DiastolicMin == DiastolicMax ? null : Pressure(SystolicMax, DiastolicMax),
            Higher(TemperatureMin, TemperatureMax), Higher(OxygenSaturationMin, OxygenSaturationMax), Higher(RespiratoryRateMin, RespiratoryRateMax),
            Higher(WeightMin, WeightMax), Higher(HeightMin, HeightMax), Higher(GlucoseLevelMin, GlucoseLevelMax), source, null);
        yield return low;
        if (high != high with { HeartRate = null, BloodPressure = null, Temperature = null, OxygenSaturation = null, RespiratoryRate = null, Weight = null, Height = null, GlucoseLevel = null })
            yield return high;
    }

    /// <summary>The highest value when it differs from the lowest, else null (the low point already shows it).</summary>
    static T? Higher<T>(T? min, T? max) where T : struct => Equals(min, max) ? null : max;

    static string? Pressure(int? systolic, int? diastolic) => systolic is { } s && diastolic is { } d ? $"{s}/{d}" : null;
}
