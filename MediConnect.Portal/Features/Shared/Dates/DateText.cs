using System.Globalization;
using System.Text.RegularExpressions;

namespace MediConnect.Portal.Features.Shared.Dates;

/// <summary>
/// The one way the portal writes a date, a date and time, or a time for people, in the request's culture
/// (<c>PortalCultures</c>): a date is day, abbreviated month and year in the culture's order ("Dec 7, 2026",
/// "7 Dec 2026", "7. Dez. 2026"), optionally after its weekday; a time is the culture's short time
/// ("6:28 PM", "18:28"); a date and time is the two joined. Instants (<c>timestamptz</c>, read as UTC) are
/// shown in the server's time zone, the zone every page and the audit filters use. Machine formats
/// (ISO dates in URLs, FHIR, CSV) are not for people and do not come from here.
/// </summary>
public static partial class DateText
{
    static CultureInfo Culture => CultureInfo.CurrentCulture;

    /// <summary>"Dec 7, 2026" (en-US), "7 Dec 2026" (en-GB); with <paramref name="weekday"/> "Mon, Dec 7, 2026".</summary>
    public static string Date(DateOnly date, bool weekday = false) =>
        (weekday ? date.ToString("ddd", Culture) + ", " : "") + date.ToString(DatePattern, Culture);

    /// <summary>The local date of an instant.</summary>
    public static string Date(DateTime instant, bool weekday = false) => Date(DateOnly.FromDateTime(Local(instant)), weekday);

    /// <summary>"6:28 PM" (en-US), "18:28" (en-GB); with <paramref name="seconds"/> the culture's long time.</summary>
    public static string Time(TimeOnly time, bool seconds = false) => time.ToString(seconds ? "T" : "t", Culture);

    /// <summary>The local time of an instant.</summary>
    public static string Time(DateTime instant, bool seconds = false) => Time(TimeOnly.FromDateTime(Local(instant)), seconds);

    /// <summary>"Dec 7, 2026, 6:28 PM" (en-US), "7 Dec 2026, 18:28" (en-GB).</summary>
    public static string DateTime(DateOnly date, TimeOnly time, bool weekday = false, bool seconds = false) =>
        $"{Date(date, weekday)}, {Time(time, seconds)}";

    /// <summary>The local date and time of an instant.</summary>
    public static string DateTime(DateTime instant, bool weekday = false, bool seconds = false)
    {
        var local = Local(instant);
        return DateTime(DateOnly.FromDateTime(local), TimeOnly.FromDateTime(local), weekday, seconds);
    }

    /// <summary>The local date and time of an instant with an offset (e.g. <c>TimeProvider.GetLocalNow()</c>).</summary>
    public static string DateTime(DateTimeOffset instant, bool weekday = false, bool seconds = false) => DateTime(instant.UtcDateTime, weekday, seconds);

    /// <summary>The local time of an instant with an offset.</summary>
    public static string Time(DateTimeOffset instant, bool seconds = false) => Time(instant.UtcDateTime, seconds);

    /// <summary>A wall-clock start (an appointment's date and time, no zone) with its weekday: "Mon, Dec 7, 2026, 3:00 PM".</summary>
    public static string Slot(System.DateTime start) => DateTime(DateOnly.FromDateTime(start), TimeOnly.FromDateTime(start), weekday: true);

    /// <summary>A date and month without the year: "Dec 7" (en-US), "7 Dec" (en-GB), for short labels within one year.</summary>
    public static string DayAndMonth(DateOnly date) => date.ToString(Year().Replace(DatePattern, ""), Culture);

    /// <summary>The local day and month of an instant.</summary>
    public static string DayAndMonth(DateTime instant) => DayAndMonth(DateOnly.FromDateTime(Local(instant)));

    /// <summary>How to type a date in this culture, for a date input's hint: "MM/DD/YYYY" (en-US), "DD.MM.YYYY" (de-DE).</summary>
    public static string InputPattern => DateField().Replace(Culture.DateTimeFormat.ShortDatePattern, match => match.Value[0] switch
    {
        'y' => "YYYY",
        'M' => "MM",
        _ => "DD",
    });

    /// <summary>An instant (UTC, or unspecified as Npgsql reads <c>timestamptz</c>) in the server's time zone; a local time stays as it is.</summary>
    public static System.DateTime Local(System.DateTime instant) => instant.Kind == DateTimeKind.Local ? instant : instant.ToLocalTime();

    /// <summary>The culture's long date without the weekday, with abbreviated months.</summary>
    static string DatePattern => PaddedDay().Replace(
        LeadingWeekday().Replace(Culture.DateTimeFormat.LongDatePattern, "").Replace("MMMM", "MMM", StringComparison.Ordinal), "d");

    /// <summary>"dd" (day with a leading zero) alone, not inside "ddd"/"dddd": "07 Jan" reads as "7 Jan".</summary>
    [GeneratedRegex("(?<!d)dd(?!d)")]
    private static partial Regex PaddedDay();

    /// <summary>The year at the end of a date pattern with what ties it on: ", yyyy", " yyyy", " 'de' yyyy".</summary>
    [GeneratedRegex(@"[,\s]*('[^']*'\s*)?y+\.?\s*$")]
    private static partial Regex Year();

    [GeneratedRegex("y+|M+|d+")]
    private static partial Regex DateField();

    [GeneratedRegex(@"^dddd[,.]?\s*")]
    private static partial Regex LeadingWeekday();
}
