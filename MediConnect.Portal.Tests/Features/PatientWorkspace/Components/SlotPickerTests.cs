using Bunit;
using MediConnect.Portal.Features.PatientAppointments;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;

namespace MediConnect.Portal.Tests.Features.PatientWorkspace.Components;

public sealed class SlotPickerTests(TestDatabase database) : PatientComponentTest(database), IClassFixture<TestDatabase>
{
    static readonly DateOnly Monday = NextMondayAfter(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(35));
    readonly FakeTimeProvider _time = new(new DateTimeOffset(Monday.ToDateTime(new TimeOnly(7, 0)), TimeSpan.Zero));

    static DateOnly NextMondayAfter(DateOnly day)
    {
        while (day.DayOfWeek != DayOfWeek.Monday)
            day = day.AddDays(1);
        return day;
    }

    [Fact]
    public async Task ItOffersTheFreeHalfHoursAndLeavesOutATakenOne()
    {
        var user = await SignInAsync(Demo.John, _time);
        var chen = await Database.UserIdAsync(Demo.Chen);
        var booking = new PatientAppointmentService(Database.DataSource, user, Demo.Audit(user), _time);
        await booking.BookAsync(new BookingRequest(chen, Monday.AddDays(1), new TimeOnly(10, 0), "Consultation", "Taken slot"));

        var cut = Render<SlotPicker>(p => p.Add(c => c.DoctorId, chen).Add(c => c.Date, Monday.AddDays(1)));

        cut.WaitForAssertion(() => Assert.Equal(15, cut.FindAll("button.slot").Count));
        var times = cut.FindAll("button.slot").Select(b => b.GetAttribute("data-slot")).ToList();
        Assert.Equal("09:00", times[0]);
        Assert.Equal("16:30", times[^1]);
        Assert.DoesNotContain("10:00", times);
    }

    [Fact]
    public async Task PickingASlotReportsItAndMarksItPressed()
    {
        await SignInAsync(Demo.John, _time);
        var chen = await Database.UserIdAsync(Demo.Chen);
        TimeOnly? picked = null;
        var cut = Render<SlotPicker>(p => p.Add(c => c.DoctorId, chen).Add(c => c.Date, Monday.AddDays(2))
            .Add(c => c.SelectedChanged, t => picked = t));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("button.slot")));

        await cut.Find("button.slot[data-slot='14:30']").ClickAsync(new());
        cut.Render(p => p.Add(c => c.Selected, picked));

        Assert.Equal(new TimeOnly(14, 30), picked);
        Assert.Equal("true", cut.Find("button.slot[data-slot='14:30']").GetAttribute("aria-pressed"));
    }

    [Fact]
    public async Task AWeekendOrPastDayShowsWhyThereAreNoSlots()
    {
        await SignInAsync(Demo.John, _time);
        var chen = await Database.UserIdAsync(Demo.Chen);

        var saturday = Render<SlotPicker>(p => p.Add(c => c.DoctorId, chen).Add(c => c.Date, Monday.AddDays(5)));
        var past = Render<SlotPicker>(p => p.Add(c => c.DoctorId, chen).Add(c => c.Date, Monday.AddDays(-1)));

        saturday.WaitForAssertion(() => Assert.Contains("closed at weekends", saturday.Find(".slot-problem").TextContent));
        past.WaitForAssertion(() => Assert.Contains("in the past", past.Find(".slot-problem").TextContent));
        Assert.Empty(saturday.FindAll("button.slot"));
    }
}
