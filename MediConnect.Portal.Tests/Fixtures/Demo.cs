using MediConnect.Portal.Features.Account;
using MediConnect.Portal.Security;
using Microsoft.Extensions.Time.Testing;

namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>Demo accounts (created by the demo-data migration) that tests sign in as, and the clocks booking tests stand on.</summary>
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

    /// <summary>Sign-in settings under which no role needs a second factor (the demo admin and doctors sign in with their password).</summary>
    public static SignInSettings PasswordOnly => new() { RequireTwoFactorFor = new HashSet<string>() };

    /// <summary>A Wednesday four weeks out: past the demo data's appointments, so every slot of that week is free.</summary>
    public static readonly DateOnly QuietWednesday = First(DayOfWeek.Wednesday, DaysFromToday(28));

    /// <summary>A clock standing at 08:00 UTC on <see cref="QuietWednesday"/>, for the booking rules.</summary>
    public static FakeTimeProvider QuietWednesdayMorning() => At(QuietWednesday, new TimeOnly(8, 0));

    /// <summary>A Monday five weeks out, with the whole week after it free, for the slot pickers.</summary>
    public static readonly DateOnly QuietMonday = First(DayOfWeek.Monday, DaysFromToday(35));

    /// <summary>A clock standing at 07:00 UTC on <see cref="QuietMonday"/>, before the clinic opens.</summary>
    public static FakeTimeProvider QuietMondayEarly() => At(QuietMonday, new TimeOnly(7, 0));

    static DateOnly DaysFromToday(int days) => DateOnly.FromDateTime(DateTime.UtcNow).AddDays(days);

    static DateOnly First(DayOfWeek dayOfWeek, DateOnly onOrAfter)
    {
        var day = onOrAfter;
        while (day.DayOfWeek != dayOfWeek)
            day = day.AddDays(1);
        return day;
    }

    static FakeTimeProvider At(DateOnly day, TimeOnly time) => new(new DateTimeOffset(day.ToDateTime(time), TimeSpan.Zero));

    public static CareTeam CareTeam(TestDatabase database, TimeProvider? clock = null) => new(database.DataSource, clock ?? TimeProvider.System);

    /// <summary>The chart-read check as <paramref name="user"/> meets it.</summary>
    public static ChartAccessGuard ChartAccess(TestDatabase database, ICurrentUser user, TimeProvider? clock = null) =>
        new(database.DataSource, CareTeam(database, clock), Audit(user));
}
