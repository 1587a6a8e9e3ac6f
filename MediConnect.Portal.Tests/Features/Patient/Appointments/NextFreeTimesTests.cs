using System.Globalization;
using Bunit;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Patient.Appointments;
using MediConnect.Portal.Features.Patient.Home;
using MediConnect.Portal.Features.Shared.Dates;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;

namespace MediConnect.Portal.Tests.Features.Patient.Appointments;

/// <summary>
/// The next available times, offered as soon as a doctor is known: the clock stands on a Friday
/// evening after the last slot (the Friday before <see cref="Demo.QuietMonday"/>), so the weekend is
/// skipped and the times come from the booking rules, on any day the tests run. Each test uses its
/// own doctor: the class shares one database.
/// </summary>
public sealed class NextFreeTimesTests(TestDatabase database)
    : DatabaseComponentTest(database, new FakeTimeProvider(new DateTimeOffset(Friday.ToDateTime(new TimeOnly(16, 45)), TimeSpan.Zero))), IClassFixture<TestDatabase>
{
    static readonly DateOnly Monday = Demo.QuietMonday;
    static readonly DateOnly Friday = Monday.AddDays(-3);

    static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    static IEnumerable<string?> Days(IRenderedComponent<NextFreeTimes> cut) => cut.FindAll(".next-day").Select(d => d.GetAttribute("data-date"));

    [Fact]
    public async Task OnAFridayEveningTheNextThreeWeekdaysAreOfferedWithEveryFreeTime()
    {
        await SignInAsync(Demo.John);
        var patel = await Database.UserIdAsync(Demo.Patel);

        var cut = Render<NextFreeTimes>(p => p.Add(c => c.DoctorId, patel));

        await cut.WaitForAssertionAsync(() => Assert.Equal([Iso(Monday), Iso(Monday.AddDays(1)), Iso(Monday.AddDays(2))], Days(cut)));
        Assert.Equal(48, cut.FindAll("button.next-slot").Count);
        Assert.Equal("09:00", cut.Find("button.next-slot").GetAttribute("data-slot"));
        Assert.Contains(DateText.Date(Monday, weekday: true), cut.Find(".next-day").TextContent);
    }

    [Fact]
    public async Task AFullyBookedDayIsLeftOutAndATimeIsPickedWithItsDay()
    {
        var emily = await SignInAsync(Demo.Emily);
        var okafor = await Database.UserIdAsync(Demo.Okafor);
        var service = new PatientAppointmentService(Database.DataSource, emily, Demo.Audit(emily), Time);
        for (var slot = ClinicHours.OpensAt; slot < ClinicHours.ClosesAt; slot = slot.AddMinutes(ClinicHours.SlotMinutes))
            await service.BookAsync(new BookingRequest(okafor, Monday, slot, "Consultation", "Series of short visits"));
        (DateOnly, TimeOnly)? picked = null;

        var cut = Render<NextFreeTimes>(p => p.Add(c => c.DoctorId, okafor).Add(c => c.OnPick, slot => picked = slot));

        await cut.WaitForAssertionAsync(() => Assert.Equal([Iso(Monday.AddDays(1)), Iso(Monday.AddDays(2)), Iso(Monday.AddDays(3))], Days(cut)));
        await cut.Find($"button.next-slot[data-date='{Iso(Monday.AddDays(2))}'][data-slot='11:30']").ClickAsync(new());
        Assert.Equal((Monday.AddDays(2), new TimeOnly(11, 30)), picked);
    }

    [Fact]
    public async Task TheHomePagesNextAppointmentIsRescheduledFromTheNextAvailableTimes()
    {
        var john = await SignInAsync(Demo.John);
        var chen = await Database.UserIdAsync(Demo.Chen);
        var service = new PatientAppointmentService(Database.DataSource, john, Demo.Audit(john), Time);
        var id = await service.BookAsync(new BookingRequest(chen, Monday, new TimeOnly(9, 0), "Follow-up", "Thyroid check"));
        Render<MudPopoverProvider>();
        var home = Render<PatientHomePage>();

        await home.WaitForAssertionAsync(() => home.Find("#home-reschedule"));
        Assert.DoesNotContain("book a new time", home.Find("#next-appointment").TextContent, StringComparison.OrdinalIgnoreCase);
        await home.Find("#home-reschedule").ClickAsync(new());
        await home.WaitForAssertionAsync(() => Assert.NotEmpty(home.FindAll($"#reschedule-next-{id} button.next-slot")));
        // Its own time is not offered: the first free time is the next half hour.
        var first = home.Find($"#reschedule-next-{id} button.next-slot");
        Assert.Equal((Iso(Monday), "09:30"), (first.GetAttribute("data-date"), first.GetAttribute("data-slot")));
        await first.ClickAsync(new());
        await home.Find(".reschedule-submit").ClickAsync(new());

        await home.WaitForAssertionAsync(() => Assert.Empty(home.FindAll(".reschedule-panel")));
        Assert.Equal(new TimeSpan(9, 30, 0), await Database.DataSource.QueryOneAsync<TimeSpan>(
            "SELECT appointment_time FROM appointments WHERE id = @id", new { id }));
    }
}
