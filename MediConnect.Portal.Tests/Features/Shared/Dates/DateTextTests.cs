using System.Globalization;
using System.Text.RegularExpressions;
using MediConnect.Portal.Features.Shared.Dates;
using MediConnect.Portal.Tests.Fixtures;

namespace MediConnect.Portal.Tests.Features.Shared.Dates;

/// <summary>One style for dates, date-times and times, in the reader's culture; and no page with a format of its own.</summary>
public sealed partial class DateTextTests
{
    /// <summary>
    /// Formats that are not for people, each with its reason: ISO dates and times for machines (URLs, FHIR,
    /// CSV, file names, audit values), the command line's UTC times, and notification texts stored once for their reader.
    /// </summary>
    static readonly (string File, string Format)[] MachineFormats =
    [
        ("ClusterLeases.cs", "O"), ("EmergencyAccess.cs", "O"),
        ("MigrationCli.cs", "yyyy-MM-dd HH:mm:ss 'UTC'"),
        ("AuditExport.cs", "yyyyMMdd-HHmmss"), ("AuditBrowser.cs", "yyyy-MM-dd"), ("AuditModels.cs", "yyyy-MM-dd'T'HH:mm:ss.fff'Z'"),
        ("ViewQuery.cs", "yyyy-MM-dd"),
        ("CapabilityStatementBuilder.cs", "yyyy-MM-dd"), ("PrescriptionMapping.cs", "yyyy-MM-dd"), ("PatientMapping.cs", "yyyy-MM-dd"),
        ("AppointmentMapping.cs", "yyyy-MM-ddTHH:mm:ssK"), ("VitalSignObservation.cs", "yyyy-MM-ddTHH:mm:ssK"),
        ("EmergencyAccess.cs", "HH:mm"), // the notification to the patient's doctors, stored in English with "UTC"
        ("PatientAppointmentService.cs", "ddd d MMM yyyy"), ("PatientAppointmentService.cs", @"HH\\:mm"), // the notification to the doctor, stored
        ("SlotPicker.razor", "HH:mm"), // the slot's data attribute, for scripts and tests
        ("NextFreeTimes.razor", "yyyy-MM-dd"), ("NextFreeTimes.razor", "HH:mm"), // the day's and slot's data attributes
        ("DayField.razor", "yyyy-MM-dd"), // <input type="date">'s value
        ("DateText.cs", "ddd"),
        ("ChannelChoicesPanel.razor", "HH:mm"), // the quiet hours' <input type="time"> value
        ("NotificationPreferences.cs", "HH:mm"), // quiet hours in the audit row's details
        ("CalendarInvite.cs", "yyyyMMdd'T'HHmmss'Z'"), // iCalendar's UTC date-time (RFC 5545)
    ];

    [GeneratedRegex(@"ToString\(\s*@?""(?<format>[^""]*)""")]
    private static partial Regex LiteralFormat();

    [GeneratedRegex(@"\{[^{}""]+?:(?<format>[^{}""()]+)\}")]
    private static partial Regex InterpolatedFormat();

    [GeneratedRegex(@"^([NFDXCPEnfdxcpe]\d*|[0#.,%]+)$")]
    private static partial Regex NumberFormat();

    [GeneratedRegex(@"ToString\(\s*L\[")]
    private static partial Regex ResourceFormat();

    [Fact]
    public void NoPageOrServiceWritesADateInAFormatOfItsOwn()
    {
        var portal = Repository.PathOf("MediConnect.Portal");
        var files = Directory.EnumerateFiles(portal, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        var adHoc = new List<string>();
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            foreach (var (line, number) in File.ReadLines(file).Select((l, i) => (l, i + 1)))
            {
                var formats = LiteralFormat().Matches(line).Select(m => m.Groups["format"].Value);
                if (line.Contains("$\"", StringComparison.Ordinal) || line.Contains("$@\"", StringComparison.Ordinal) || line.Contains("$$\"", StringComparison.Ordinal))
                    formats = formats.Concat(InterpolatedFormat().Matches(line).Select(m => m.Groups["format"].Value).Where(f => f.IndexOfAny(['y', 'M', 'd', 'H', 'h', 'm', 's', 't']) >= 0));
                adHoc.AddRange(formats.Where(f => !NumberFormat().IsMatch(f) && !MachineFormats.Contains((name, f))).Select(f => $"{name}:{number} \"{f}\""));
                if (ResourceFormat().IsMatch(line))
                    adHoc.Add($"{name}:{number} a format from the resources");
            }
        }
        Assert.True(files.Count > 200, $"only {files.Count} files scanned: is the scan still finding the portal?");
        Assert.Empty(adHoc); // write dates with DateText (Features/Shared/Dates)
    }

    [Theory]
    [InlineData("en-US", "Mar 4, 2024", "Mon, Mar 4, 2024", "6:28 PM", "Mar 4, 2024, 6:28 PM", "MM/DD/YYYY", "Mar 4")]
    [InlineData("en-GB", "4 Mar 2024", "Mon, 4 Mar 2024", "18:28", "4 Mar 2024, 18:28", "DD/MM/YYYY", "4 Mar")]
    [InlineData("de-DE", "4. März 2024", "Mo, 4. März 2024", "18:28", "4. März 2024, 18:28", "DD.MM.YYYY", "4. März")]
    public void DatesTimesAndInputsFollowTheReadersCulture(string culture, string date, string withWeekday, string time, string dateTime, string input, string dayAndMonth)
    {
        var before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            var day = new DateOnly(2024, 3, 4);
            Assert.Equal(date, DateText.Date(day));
            Assert.Equal(withWeekday, DateText.Date(day, weekday: true));
            // ICU puts a narrow no-break space before AM/PM.
            Assert.Equal(time, DateText.Time(new TimeOnly(18, 28)).Replace('\u202F', ' '));
            Assert.Equal(dateTime, DateText.DateTime(day, new TimeOnly(18, 28)).Replace('\u202F', ' '));
            Assert.Equal(input, DateText.InputPattern);
            Assert.Equal(dayAndMonth, DateText.DayAndMonth(day));
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }
}
