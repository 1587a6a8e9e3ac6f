using System.Globalization;
using Bunit;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.PatientAppointments;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;

namespace MediConnect.Portal.Tests.Features.PatientWorkspace.Components;

public sealed class ReschedulePanelTests(TestDatabase database) : PatientComponentTest(database), IClassFixture<TestDatabase>
{
    static readonly DateOnly Monday = NextMondayAfter(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(35));
    readonly FakeTimeProvider _time = new(new DateTimeOffset(Monday.ToDateTime(new TimeOnly(7, 0)), TimeSpan.Zero));

    static DateOnly NextMondayAfter(DateOnly day)
    {
        while (day.DayOfWeek != DayOfWeek.Monday)
            day = day.AddDays(1);
        return day;
    }

    static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Signs in as <paramref name="email"/>, books Dr. Chen on <paramref name="day"/> at 09:00 and returns that appointment.</summary>
    async Task<(PatientAppointmentService Service, PatientAppointment Appointment)> BookedAsync(string email, DateOnly day)
    {
        var user = await SignInAsync(email, _time);
        var service = new PatientAppointmentService(Database.DataSource, user, Demo.Audit(user), _time);
        var chen = await Database.UserIdAsync(Demo.Chen);
        var id = await service.BookAsync(new BookingRequest(chen, day, new TimeOnly(9, 0), "Follow-up", "Thyroid check"));
        return (service, (await service.MineAsync()).Upcoming.Single(a => a.Id == id));
    }

    Task<TimeSpan> TimeOfAsync(int id) =>
        Database.DataSource.QueryOneAsync<TimeSpan>("SELECT appointment_time FROM appointments WHERE id = @id", new { id });

    [Fact]
    public async Task ItShowsTheFreeTimesForTheNewDateAndMovesTheAppointment()
    {
        var (_, appointment) = await BookedAsync(Demo.John, Monday.AddDays(1));
        var rescheduled = false;
        var cut = Render<ReschedulePanel>(p => p.Add(c => c.Appointment, appointment).Add(c => c.OnRescheduled, () => rescheduled = true));

        cut.Find($"#reschedule-date-{appointment.Id}").Change(Iso(Monday.AddDays(1)));
        cut.WaitForAssertion(() => Assert.Equal(15, cut.FindAll("button.slot").Count));
        Assert.DoesNotContain("09:00", cut.FindAll("button.slot").Select(b => b.GetAttribute("data-slot")));
        await cut.Find("button.slot[data-slot='15:30']").ClickAsync(new());
        await cut.Find(".reschedule-submit").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.True(rescheduled));
        Assert.Equal(new TimeSpan(15, 30, 0), await TimeOfAsync(appointment.Id));
        var snackbar = Assert.Single(Services.GetRequiredService<ISnackbar>().ShownSnackbars);
        Assert.Contains("Moved to", snackbar.Message);
        Assert.Contains("Dr. Wei Chen will confirm", snackbar.Message);
    }

    [Fact]
    public async Task WithoutADateOrATimeEachFieldSaysWhatIsMissing()
    {
        var (_, appointment) = await BookedAsync(Demo.Emily, Monday.AddDays(2));
        var cut = Render<ReschedulePanel>(p => p.Add(c => c.Appointment, appointment));

        await cut.Find(".reschedule-submit").ClickAsync(new());
        Assert.Contains("Pick a date.", cut.Markup);

        cut.Find($"#reschedule-date-{appointment.Id}").Change(Iso(Monday.AddDays(5)));
        cut.WaitForAssertion(() => Assert.Contains("closed at weekends", cut.Markup));

        cut.Find($"#reschedule-date-{appointment.Id}").Change(Iso(Monday.AddDays(3)));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("button.slot")));
        await cut.Find(".reschedule-submit").ClickAsync(new());

        Assert.Contains("Pick one of the free times.", cut.Find(".reschedule-time-error").TextContent);
        Assert.Equal(new TimeSpan(9, 0, 0), await TimeOfAsync(appointment.Id));
    }

    [Fact]
    public async Task WhenTheChosenTimeIsTakenMeanwhileItSaysSoAndShowsTheTimesStillFree()
    {
        var (_, appointment) = await BookedAsync(Demo.Michael, Monday.AddDays(4));
        var cut = Render<ReschedulePanel>(p => p.Add(c => c.Appointment, appointment));
        cut.Find($"#reschedule-date-{appointment.Id}").Change(Iso(Monday.AddDays(4)));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("button.slot")));
        await cut.Find("button.slot[data-slot='11:00']").ClickAsync(new());

        var emily = await Database.SignedInAsync(Demo.Emily);
        await new PatientAppointmentService(Database.DataSource, emily, Demo.Audit(emily), _time).BookAsync(
            new BookingRequest(await Database.UserIdAsync(Demo.Chen), Monday.AddDays(4), new TimeOnly(11, 0), "Consultation", "Quicker"));
        await cut.Find(".reschedule-submit").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains("just taken", cut.Find(".reschedule-problem").TextContent));
        cut.WaitForAssertion(() => Assert.DoesNotContain("11:00", cut.FindAll("button.slot").Select(b => b.GetAttribute("data-slot"))));
        Assert.Equal(new TimeSpan(9, 0, 0), await TimeOfAsync(appointment.Id));
    }
}
