using Bunit;
using MediConnect.Portal.Features.Patient.Appointments;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.AspNetCore.Components;

namespace MediConnect.Portal.Tests.Features.Patient.Appointments;

public sealed class SlotPickerTests(TestDatabase database) : DatabaseComponentTest(database, Demo.QuietMondayEarly(), holdConnections: true), IClassFixture<TestDatabase>
{
    static readonly DateOnly Monday = Demo.QuietMonday;

    [Fact]
    public async Task ItOffersTheFreeHalfHoursAndLeavesOutATakenOne()
    {
        var user = await SignInAsync(Demo.John);
        var chen = await Database.UserIdAsync(Demo.Chen);
        var booking = new PatientAppointmentService(Database.DataSource, user, Demo.Audit(user), Time);
        await booking.BookAsync(new BookingRequest(chen, Monday.AddDays(1), new TimeOnly(10, 0), "Consultation", "Taken slot"));

        var cut = Render<SlotPicker>(p => p.Add(c => c.DoctorId, chen).Add(c => c.Date, Monday.AddDays(1)));

        await cut.WaitForAssertionAsync(() => Assert.Equal(15, cut.FindAll("button.slot").Count));
        var times = cut.FindAll("button.slot").Select(b => b.GetAttribute("data-slot")).ToList();
        Assert.Equal("09:00", times[0]);
        Assert.Equal("16:30", times[^1]);
        Assert.DoesNotContain("10:00", times);
    }

    [Fact]
    public async Task PickingASlotReportsItAndMarksItPressed()
    {
        await SignInAsync(Demo.John);
        var chen = await Database.UserIdAsync(Demo.Chen);
        TimeOnly? picked = null;
        var cut = Render<SlotPicker>(p => p.Add(c => c.DoctorId, chen).Add(c => c.Date, Monday.AddDays(2))
            .Add(c => c.SelectedChanged, t => picked = t));
        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(cut.FindAll("button.slot")));

        await cut.Find("button.slot[data-slot='14:30']").ClickAsync(new());
        cut.Render(p => p.Add(c => c.Selected, picked));

        Assert.Equal(new TimeOnly(14, 30), picked);
        Assert.Equal("true", cut.Find("button.slot[data-slot='14:30']").GetAttribute("aria-pressed"));
    }

    [Fact]
    public async Task AWeekendOrPastDayShowsWhyThereAreNoSlots()
    {
        await SignInAsync(Demo.John);
        var chen = await Database.UserIdAsync(Demo.Chen);

        var saturday = Render<SlotPicker>(p => p.Add(c => c.DoctorId, chen).Add(c => c.Date, Monday.AddDays(5)));
        var past = Render<SlotPicker>(p => p.Add(c => c.DoctorId, chen).Add(c => c.Date, Monday.AddDays(-1)));

        await saturday.WaitForAssertionAsync(() => Assert.Contains("closed at weekends", saturday.Find(".slot-problem").TextContent));
        await past.WaitForAssertionAsync(() => Assert.Contains("in the past", past.Find(".slot-problem").TextContent));
        Assert.Empty(saturday.FindAll("button.slot"));
    }

    [Fact]
    public async Task AnEarlierDayFinishingLastNeverReplacesTheNewerDaysSlots()
    {
        var user = await SignInAsync(Demo.John);
        var chen = await Database.UserIdAsync(Demo.Chen);
        var (thursday, friday) = (Monday.AddDays(3), Monday.AddDays(4));
        var booking = new PatientAppointmentService(Database.DataSource, user, Demo.Audit(user), Time);
        await booking.BookAsync(new BookingRequest(chen, thursday, new TimeOnly(10, 0), "Consultation", "Taken slot"));
        var cut = Render<SlotPicker>(p => p.Add(c => c.DoctorId, chen));

        var slow = Connections.HoldOpens();
        var thursdayLoad = PickDateAsync(cut, thursday);
        await slow.ReachedAsync();
        slow.PassNewOpens();
        await PickDateAsync(cut, friday);
        Assert.Equal(16, cut.FindAll("button.slot").Count);

        slow.Release();
        await thursdayLoad;

        Assert.Equal(16, cut.FindAll("button.slot").Count);
        Assert.Single(cut.FindAll("button.slot[data-slot='10:00']"));
    }

    /// <summary>The form hands the picker a new date; the task ends when the picker has loaded that day.</summary>
    static Task PickDateAsync(IRenderedComponent<SlotPicker> cut, DateOnly date) =>
        cut.InvokeAsync(() => cut.Instance.SetParametersAsync(ParameterView.FromDictionary(new Dictionary<string, object?> { [nameof(SlotPicker.Date)] = date })));
}
