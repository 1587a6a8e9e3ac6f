using MediConnect.Portal.Features.Fhir;

namespace MediConnect.Portal.Tests.Features.Fhir;

public sealed class DateBoundTests
{
    static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;

    static DateTimeOffset At(int y, int m, int d, int h = 0) => new(y, m, d, h, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2025-03-01", "2025-03-01T00:00:00Z", "2025-03-02T00:00:00Z")]
    [InlineData("eq2025-03", "2025-03-01T00:00:00Z", "2025-04-01T00:00:00Z")]
    [InlineData("2025", "2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z")]
    [InlineData("ge2025-03-01", "2025-03-01T00:00:00Z", null)]
    [InlineData("gt2025-03-01", "2025-03-02T00:00:00Z", null)]
    [InlineData("le2025-03-01", null, "2025-03-02T00:00:00Z")]
    [InlineData("lt2025-03-01", null, "2025-03-01T00:00:00Z")]
    [InlineData("ge2025-03-01T08:30:00+02:00", "2025-03-01T06:30:00Z", null)]
    [InlineData("ge2025-03-01T08:30:00 02:00", "2025-03-01T06:30:00Z", null)]
    public void AValueStandsForItsWholePrecision(string text, string? from, string? before)
    {
        var bound = DateBound.Parse("date", text, Utc);

        Assert.Equal(from is null ? null : DateTimeOffset.Parse(from), bound.From);
        Assert.Equal(before is null ? null : DateTimeOffset.Parse(before), bound.Before);
    }

    [Fact]
    public void ADateWithoutAZoneIsTheClinicsDay()
    {
        var clinic = TimeZoneInfo.CreateCustomTimeZone("Clinic", TimeSpan.FromHours(-6), "Clinic", "Clinic");

        var bound = DateBound.Parse("date", "2025-03-01", clinic);

        Assert.Equal(At(2025, 3, 1, 6), bound.From);
        Assert.Equal(At(2025, 3, 2, 6), bound.Before);
    }

    [Fact]
    public void TheDayTheClocksGoForwardHas23Hours()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        var bound = DateBound.Parse("date", "2025-03-30", berlin);

        Assert.Equal(At(2025, 3, 29, 23), bound.From);
        Assert.Equal(At(2025, 3, 30, 22), bound.Before);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2025-02-30")]
    [InlineData("2025-3-1")]
    [InlineData("ne2025-03-01")]
    [InlineData("ap2025-03-01")]
    [InlineData("2026-01-01T00:00:00+99:99")]
    [InlineData("2026-01-01T00:00:00-24:00")]
    [InlineData("2026-01-01T00:00:00+15:00")]
    [InlineData("2026-01-01T00:00:00+01:60")]
    [InlineData("9999-12-31T23:00:00-14:00")]
    [InlineData("0001-01-01T00:30:00+14:00")]
    public void AnythingElseIsABadRequest(string text)
    {
        var e = Assert.Throws<FhirException>(() => DateBound.Parse("date", text, Utc));
        Assert.Equal(400, e.Status);
    }
}
