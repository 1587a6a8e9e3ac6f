using System.Globalization;
using System.Text.RegularExpressions;

namespace MediConnect.Portal.Features.Fhir;

/// <summary>
/// One <c>date</c> search value such as <c>ge2025-01-01</c>, as the half-open interval the target
/// must fall in: <see cref="From"/> inclusive, <see cref="Before"/> exclusive (either open). A value
/// stands for its whole precision (<c>2025-03</c> is all of March); the prefixes eq (default), ge,
/// gt, le, lt, sa and eb follow the FHIR search rules for a target that is a point in time.
/// </summary>
public sealed partial record DateBound(DateTimeOffset? From, DateTimeOffset? Before)
{
    /// <exception cref="FhirException">400: not a FHIR date, or an unsupported prefix.</exception>
    public static DateBound Parse(string name, string text, TimeZoneInfo zone)
    {
        // An unescaped '+' of a time-zone offset arrives as a space.
        var match = Shape().Match(text.Replace(' ', '+'));
        if (!match.Success)
            throw FhirException.BadParameter(
                $"'{name}' must be a date such as 2025-03-01, 2025-03 or 2025-03-01T08:00:00Z, optionally after a prefix (eq, ge, gt, le, lt, sa, eb); got '{text}'.");
        var (start, end) = Interval(match, zone);
        return match.Groups["prefix"].Value switch
        {
            "" or "eq" => new DateBound(start, end),
            "ge" => new DateBound(start, null),
            "gt" or "sa" => new DateBound(end, null),
            "le" => new DateBound(null, end),
            "lt" or "eb" => new DateBound(null, start),
            var other => throw FhirException.NotSupported($"The date prefix '{other}' is not supported; use eq, ge, gt, le, lt, sa or eb."),
        };
    }

    static (DateTimeOffset Start, DateTimeOffset End) Interval(Match m, TimeZoneInfo zone)
    {
        int Part(string group, int fallback) =>
            m.Groups[group].Success ? int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture) : fallback;

        try
        {
            var start = new DateTime(Part("y", 1), Part("mo", 1), Part("d", 1), Part("h", 0), Part("mi", 0), Part("s", 0), DateTimeKind.Unspecified);
            var end = m.Groups["s"].Success ? start.AddSeconds(1)
                : m.Groups["mi"].Success ? start.AddMinutes(1)
                : m.Groups["d"].Success ? start.AddDays(1)
                : m.Groups["mo"].Success ? start.AddMonths(1)
                : start.AddYears(1);
            // Without an offset each end is read in the clinic's zone on its own: a day a clock change falls in has 23 or 25 hours.
            DateTimeOffset InZone(DateTime local) =>
                new(local, m.Groups["tz"].Success ? ParseOffset(m.Groups["tz"].Value) : zone.GetUtcOffset(local));
            return (InZone(start), InZone(end));
        }
        catch (ArgumentOutOfRangeException)
        {
            throw FhirException.BadParameter($"'{m.Value}' is not a real date.");
        }
    }

    /// <summary>Z or ±hh:mm within ±14:00, the range an offset can have; anything else is a 400, never an overflow.</summary>
    static TimeSpan ParseOffset(string tz)
    {
        if (tz == "Z")
            return TimeSpan.Zero;
        var hours = int.Parse(tz.AsSpan(1, 2), CultureInfo.InvariantCulture);
        var minutes = int.Parse(tz.AsSpan(4, 2), CultureInfo.InvariantCulture);
        var offset = new TimeSpan(hours, minutes, 0);
        if (minutes > 59 || offset > TimeSpan.FromHours(14))
            throw FhirException.BadParameter($"'{tz}' is not a time-zone offset; use Z or one from -14:00 to +14:00.");
        return tz[0] == '-' ? -offset : offset;
    }

    [GeneratedRegex(@"^(?<prefix>[a-z]{2})?(?<y>\d{4})(-(?<mo>\d{2})(-(?<d>\d{2})(T(?<h>\d{2}):(?<mi>\d{2})(:(?<s>\d{2})(\.\d+)?)?(?<tz>Z|[+-]\d{2}:\d{2})?)?)?)?$")]
    private static partial Regex Shape();
}
