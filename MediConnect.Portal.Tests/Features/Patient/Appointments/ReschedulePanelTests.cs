using System.Globalization;
using Bunit;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Patient.Appointments;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MediConnect.Portal.Tests.Features.Patient.Appointments;

public sealed class ReschedulePanelTests(TestDatabase database) : DatabaseComponentTest(database, Demo.QuietMondayEarly()), IClassFixture<TestDatabase>
{
    static readonly DateOnly Monday = Demo.QuietMonday;

    static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Signs in as <paramref name="email"/>, books Dr. Chen on <paramref name="day"/> at 09:00 and returns that appointment.</summary>
    async Task<(PatientAppointmentService Service, PatientAppointment Appointment)> BookedAsync(string email, DateOnly day)
    {
        var user = await SignInAsync(email);
        var service = new PatientAppointmentService(Database.DataSource, user, Demo.Audit(user), Time);
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

        await cut.Find($"#reschedule-date-{appointment.Id}").ChangeAsync(Iso(Monday.AddDays(1)));
        await cut.WaitForAssertionAsync(() => Assert.Equal(15, cut.FindAll("button.slot").Count));
        Assert.DoesNotContain("09:00", cut.FindAll("button.slot").Select(b => b.GetAttribute("data-slot")));
        await cut.Find("button.slot[data-slot='15:30']").ClickAsync(new());
        await cut.Find(".reschedule-submit").ClickAsync(new());

        await cut.WaitForAssertionAsync(() => Assert.True(rescheduled));
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

        // No date needed (the next available times are offered), but a time is.
        await cut.Find(".reschedule-submit").ClickAsync(new());
        Assert.Contains("Pick one of the free times.", cut.Find(".reschedule-time-error").TextContent);

        await cut.Find($"#reschedule-date-{appointment.Id}").ChangeAsync(Iso(Monday.AddDays(5)));
        await cut.WaitForAssertionAsync(() => Assert.Contains("closed at weekends", cut.Markup));

        await cut.Find($"#reschedule-date-{appointment.Id}").ChangeAsync(Iso(Monday.AddDays(3)));
        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(cut.FindAll("button.slot")));
        await cut.Find(".reschedule-submit").ClickAsync(new());

        Assert.Contains("Pick one of the free times.", cut.Find(".reschedule-time-error").TextContent);
        Assert.Equal(new TimeSpan(9, 0, 0), await TimeOfAsync(appointment.Id));
    }

    [Fact]
    public async Task WhenTheChosenTimeIsTakenMeanwhileItSaysSoAndShowsTheTimesStillFree()
    {
        var (_, appointment) = await BookedAsync(Demo.Michael, Monday.AddDays(4));
        var cut = Render<ReschedulePanel>(p => p.Add(c => c.Appointment, appointment));
        await cut.Find($"#reschedule-date-{appointment.Id}").ChangeAsync(Iso(Monday.AddDays(4)));
        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(cut.FindAll("button.slot")));
        await cut.Find("button.slot[data-slot='11:00']").ClickAsync(new());

        var emily = await Database.SignedInAsync(Demo.Emily);
        await new PatientAppointmentService(Database.DataSource, emily, Demo.Audit(emily), Time).BookAsync(
            new BookingRequest(await Database.UserIdAsync(Demo.Chen), Monday.AddDays(4), new TimeOnly(11, 0), "Consultation", "Quicker"));
        await cut.Find(".reschedule-submit").ClickAsync(new());

        await cut.WaitForAssertionAsync(() => Assert.Contains("just taken", cut.Find(".reschedule-problem").TextContent));
        await cut.WaitForAssertionAsync(() => Assert.DoesNotContain("11:00", cut.FindAll("button.slot").Select(b => b.GetAttribute("data-slot"))));
        Assert.Equal(new TimeSpan(9, 0, 0), await TimeOfAsync(appointment.Id));
    }
}
