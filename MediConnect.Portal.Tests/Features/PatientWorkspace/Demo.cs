using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;

namespace MediConnect.Portal.Tests.Features.PatientWorkspace;

/// <summary>Demo accounts the patient-workspace tests sign in as.</summary>
static class Demo
{
    public const string John = "john.doe@mediconnect.demo";
    public const string Emily = "emily.johnson@mediconnect.demo";
    public const string Michael = "michael.brown@mediconnect.demo";
    public const string Smith = "dr.smith@mediconnect.demo";
    public const string Patel = "dr.patel@mediconnect.demo";
    public const string Chen = "dr.chen@mediconnect.demo";
    public const string Okafor = "dr.okafor@mediconnect.demo";
    public const string Admin = "admin@mediconnect.demo";

    public static readonly string[] ActivePatients =
    [
        John, Emily, Michael, "maria.rodriguez@mediconnect.demo", "david.wilson@mediconnect.demo",
        "sophia.nguyen@mediconnect.demo", "james.taylor@mediconnect.demo", "aisha.khan@mediconnect.demo",
        "robert.miller@mediconnect.demo", "noah.kim@mediconnect.demo",
    ];

    public static AuditLog Audit(ICurrentUser user) => new(user);

    /// <summary>A Wednesday four weeks out: past the demo data's appointments, so every slot of that week is free.</summary>
    public static readonly DateOnly QuietWednesday = NextWednesdayAfter(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(28));

    /// <summary>A clock standing at 08:00 UTC on <see cref="QuietWednesday"/>, for the booking rules.</summary>
    public static FakeTimeProvider QuietWednesdayMorning() =>
        new(new DateTimeOffset(QuietWednesday.ToDateTime(new TimeOnly(8, 0)), TimeSpan.Zero));

    static DateOnly NextWednesdayAfter(DateOnly day)
    {
        while (day.DayOfWeek != DayOfWeek.Wednesday)
            day = day.AddDays(1);
        return day;
    }

    public static CareTeam CareTeam(TestDatabase database) => new(database.DataSource);
}
