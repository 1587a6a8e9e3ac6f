using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Patient.Appointments;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;

namespace MediConnect.Portal.Tests.Features.Patient.Appointments;

public sealed class PatientAppointmentServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    // "Today" is a Wednesday four weeks out, 08:00 UTC: every slot of that week is free.
    static readonly DateOnly Wednesday = Demo.QuietWednesday;
    readonly FakeTimeProvider _time = Demo.QuietWednesdayMorning();

    async Task<PatientAppointmentService> AsAsync(string email)
    {
        var user = await database.SignedInAsync(email);
        return new PatientAppointmentService(database.DataSource, user, Demo.Audit(user), _time);
    }

    async Task<int> DoctorAsync(string email) => await database.UserIdAsync(email);

    [Fact]
    public async Task APatientBooksAFreeSlotAndSeesItAmongTheirUpcomingAppointments()
    {
        var service = await AsAsync(Demo.John);
        var okafor = await DoctorAsync(Demo.Okafor);
        var day = Wednesday.AddDays(1);

        var id = await service.BookAsync(new BookingRequest(okafor, day, new TimeOnly(10, 30), "Consultation", "Itchy rash on my arm"));

        var mine = await service.MineAsync();
        var booked = Assert.Single(mine.Upcoming, a => a.Id == id);
        Assert.Equal("Dr. Ngozi Okafor", booked.DoctorName);
        Assert.Equal("scheduled", booked.Status);
        Assert.DoesNotContain(new TimeOnly(10, 30), await service.FreeSlotsAsync(okafor, day));
        Assert.Equal(1L, await database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action = 'appointment_book' AND entity_id = @id", new { id = id.ToString() }));
        Assert.Equal(1L, await database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM notifications WHERE user_id = @okafor AND title = 'New appointment' AND message LIKE 'John Doe booked%'", new { okafor }));
    }

    [Fact]
    public async Task FreeSlotsAreTheHalfHoursFromNineToHalfPastFourOnAWeekday()
    {
        var service = await AsAsync(Demo.John);

        var slots = await service.FreeSlotsAsync(await DoctorAsync(Demo.Chen), Wednesday.AddDays(2));

        Assert.Equal(16, slots.Count);
        Assert.Equal(new TimeOnly(9, 0), slots[0]);
        Assert.Equal(new TimeOnly(16, 30), slots[^1]);
    }

    [Fact]
    public async Task TodaysSlotsThatHavePassedAreNotOffered()
    {
        var service = await AsAsync(Demo.John);
        _time.SetUtcNow(new DateTimeOffset(Wednesday.ToDateTime(new TimeOnly(13, 10)), TimeSpan.Zero));

        var slots = await service.FreeSlotsAsync(await DoctorAsync(Demo.Chen), Wednesday);

        Assert.Equal(new TimeOnly(13, 30), slots[0]);
    }

    [Fact]
    public async Task BookingInThePastIsRefused()
    {
        var service = await AsAsync(Demo.John);
        var chen = await DoctorAsync(Demo.Chen);

        var error = await Assert.ThrowsAsync<BusinessRuleException>(() =>
            service.BookAsync(new BookingRequest(chen, Wednesday.AddDays(-1), new TimeOnly(10, 0), "Consultation", "Check-up")));

        Assert.Contains("in the past", error.Message);
    }

    [Fact]
    public async Task BookingAWeekendIsRefused()
    {
        var service = await AsAsync(Demo.John);
        var chen = await DoctorAsync(Demo.Chen);

        var saturday = await Assert.ThrowsAsync<BusinessRuleException>(() =>
            service.BookAsync(new BookingRequest(chen, Wednesday.AddDays(3), new TimeOnly(10, 0), "Consultation", "Check-up")));
        var sunday = await Assert.ThrowsAsync<BusinessRuleException>(() => service.FreeSlotsAsync(chen, Wednesday.AddDays(4)));

        Assert.Contains("weekend", saturday.Message);
        Assert.Contains("weekend", sunday.Message);
    }

    [Theory]
    [InlineData(8, 30)]
    [InlineData(17, 0)]
    [InlineData(12, 15)]
    public async Task BookingOutsideTheDoctorsHoursOrOffTheHalfHourIsRefused(int hour, int minute)
    {
        var service = await AsAsync(Demo.John);

        var error = await Assert.ThrowsAsync<BusinessRuleException>(async () =>
            await service.BookAsync(new BookingRequest(await DoctorAsync(Demo.Chen), Wednesday.AddDays(1), new TimeOnly(hour, minute), "Consultation", "Check-up")));

        Assert.Contains("between 09:00 and 16:30", error.Message);
    }

    [Fact]
    public async Task BookingATakenSlotTellsThePatientItWasTaken()
    {
        var john = await AsAsync(Demo.John);
        var emily = await AsAsync(Demo.Emily);
        var chen = await DoctorAsync(Demo.Chen);
        var day = Wednesday.AddDays(5);
        await emily.BookAsync(new BookingRequest(chen, day, new TimeOnly(11, 0), "Consultation", "Thyroid question"));

        var error = await Assert.ThrowsAsync<SlotTakenException>(() =>
            john.BookAsync(new BookingRequest(chen, day, new TimeOnly(11, 0), "Consultation", "Glucose question")));

        Assert.Contains("just taken", error.Message);
        Assert.DoesNotContain(new TimeOnly(11, 0), await john.FreeSlotsAsync(chen, day));
    }

    [Fact]
    public async Task WhenTenPatientsRaceForOneSlotExactlyOneGetsIt()
    {
        var garcia = await DoctorAsync("dr.garcia@mediconnect.demo");
        var day = Wednesday.AddDays(6);
        var services = await Task.WhenAll(Demo.ActivePatients.Select(AsAsync));

        var attempts = await Task.WhenAll(services.Select(async s =>
        {
            try
            {
                await s.BookAsync(new BookingRequest(garcia, day, new TimeOnly(14, 0), "Consultation", "Same slot"));
                return "booked";
            }
            catch (SlotTakenException)
            {
                return "taken";
            }
        }));

        Assert.Equal(1, attempts.Count(a => a == "booked"));
        Assert.Equal(9, attempts.Count(a => a == "taken"));
        Assert.Equal(1L, await database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM appointments WHERE doctor_id = @garcia AND appointment_date = @day AND appointment_time = '14:00'",
            new { garcia, day }));
    }

    [Fact]
    public async Task APatientCancelsTheirUpcomingAppointmentWithAReasonAndTheDoctorSeesIt()
    {
        var service = await AsAsync(Demo.Michael);
        var chen = await DoctorAsync(Demo.Chen);
        var id = await service.BookAsync(new BookingRequest(chen, Wednesday.AddDays(7), new TimeOnly(9, 0), "Follow-up", "Glucose log"));

        var noReason = await Assert.ThrowsAsync<BusinessRuleException>(() => service.CancelAsync(id, "  "));
        await service.CancelAsync(id, "Feeling better");

        Assert.Contains("reason", noReason.Message);
        var cancelled = Assert.Single((await service.MineAsync()).Past, a => a.Id == id);
        Assert.Equal("cancelled", cancelled.Status);
        Assert.Equal("Feeling better", cancelled.CancellationReason);
        Assert.Contains(new TimeOnly(9, 0), await service.FreeSlotsAsync(chen, Wednesday.AddDays(7)));
        Assert.Equal(1L, await database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM notifications WHERE user_id = @chen AND title = 'Appointment cancelled' AND message LIKE '%Feeling better'", new { chen }));
        Assert.Equal(1L, await database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action = 'appointment_cancel' AND entity_id = @id", new { id = id.ToString() }));
    }

    [Fact]
    public async Task APastOrFinishedAppointmentCannotBeCancelled()
    {
        var service = await AsAsync(Demo.John);
        var completed = (await service.MineAsync()).Past.First(a => a.Status == "completed");

        var error = await Assert.ThrowsAsync<BusinessRuleException>(() => service.CancelAsync(completed.Id, "Changed my mind"));

        Assert.Contains("upcoming", error.Message);
    }

    [Fact]
    public async Task APatientCannotCancelAnotherPatientsAppointment()
    {
        var emily = await AsAsync(Demo.Emily);
        var john = await AsAsync(Demo.John);
        var emilys = await emily.BookAsync(new BookingRequest(await DoctorAsync(Demo.Patel), Wednesday.AddDays(1), new TimeOnly(15, 0), "Follow-up", "Asthma"));

        await Assert.ThrowsAsync<AccessDeniedException>(() => john.CancelAsync(emilys, "Not mine"));

        Assert.Equal("scheduled", await database.DataSource.QueryOneAsync<string>("SELECT status FROM appointments WHERE id = @emilys", new { emilys }));
        Assert.DoesNotContain((await john.MineAsync()).Upcoming, a => a.Id == emilys);
    }

    [Fact]
    public async Task ADoctorCannotUseThePatientBooking()
    {
        var doctor = await AsAsync(Demo.Smith);

        await Assert.ThrowsAsync<AccessDeniedException>(() => doctor.MineAsync());
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            doctor.BookAsync(new BookingRequest(1, Wednesday.AddDays(1), new TimeOnly(9, 0), "Consultation", "x")));
    }
}
