using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Patient.Appointments;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;

namespace MediConnect.Portal.Tests.Features.Patient.Appointments;

public sealed class RescheduleAppointmentTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    // "Today" is a Wednesday four weeks out, 08:00 UTC: every slot of that week is free.
    static readonly DateOnly Wednesday = Demo.QuietWednesday;
    readonly FakeTimeProvider _time = Demo.QuietWednesdayMorning();

    sealed record Row(DateOnly AppointmentDate, TimeOnly AppointmentTime, string Status, string Type, string? Reason, int DoctorId);

    async Task<PatientAppointmentService> AsAsync(string email)
    {
        var user = await database.SignedInAsync(email);
        return new PatientAppointmentService(database.DataSource, user, Demo.Audit(user), _time);
    }

    Task<Row?> RowAsync(int id) => database.DataSource.QueryOneAsync<Row>(
        "SELECT appointment_date, appointment_time, status, type, reason, doctor_id FROM appointments WHERE id = @id", new { id });

    Task<long> RescheduleAuditRowsAsync(int id) => database.DataSource.QueryOneAsync<long>(
        "SELECT count(*) FROM audit_log WHERE action = 'appointment_rescheduled' AND entity_id = @id", new { id = id.ToString() });

    async Task<int> BookAsync(PatientAppointmentService service, string doctor, DateOnly day, int hour, int minute = 0, string reason = "Check-up") =>
        await service.BookAsync(new BookingRequest(await database.UserIdAsync(doctor), day, new TimeOnly(hour, minute), "Follow-up", reason));

    [Fact]
    public async Task APatientMovesTheirConfirmedAppointmentAndItWaitsForTheDoctorToConfirmAgain()
    {
        var john = await AsAsync(Demo.John);
        var chen = await database.UserIdAsync(Demo.Chen);
        var id = await BookAsync(john, Demo.Chen, Wednesday.AddDays(1), 10, 0, "Glucose log review");
        await database.DataSource.ExecuteAsync("UPDATE appointments SET status = 'confirmed' WHERE id = @id", new { id });

        await john.RescheduleAsync(id, Wednesday.AddDays(2), new TimeOnly(14, 30));

        var moved = Assert.Single((await john.MineAsync()).Upcoming, a => a.Id == id);
        Assert.Equal(Wednesday.AddDays(2).ToDateTime(new TimeOnly(14, 30)), moved.StartsAt);
        Assert.Equal("scheduled", moved.Status);
        Assert.Equal(("Follow-up", "Glucose log review", chen), (moved.Type, moved.Reason, moved.DoctorId));
        Assert.Contains(new TimeOnly(10, 0), await john.FreeSlotsAsync(chen, Wednesday.AddDays(1)));
        Assert.DoesNotContain(new TimeOnly(14, 30), await john.FreeSlotsAsync(chen, Wednesday.AddDays(2)));
        var audit = await database.DataSource.QueryOneAsync<(string OldDate, string OldTime, string OldStatus, string NewDate, string NewTime, string NewStatus)>("""
            SELECT old_values->>'date', old_values->>'time', old_values->>'status', new_values->>'date', new_values->>'time', new_values->>'status'
            FROM audit_log WHERE action = 'appointment_rescheduled' AND entity_id = @id
            """, new { id = id.ToString() });
        Assert.Equal((Wednesday.AddDays(1).ToString("yyyy-MM-dd"), "10:00:00", "confirmed"), (audit.OldDate, audit.OldTime, audit.OldStatus));
        Assert.Equal((Wednesday.AddDays(2).ToString("yyyy-MM-dd"), "14:30:00", "scheduled"), (audit.NewDate, audit.NewTime, audit.NewStatus));
        Assert.Equal(1L, await database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM notifications WHERE user_id = @chen AND title = 'Appointment rescheduled' AND message LIKE 'John Doe moved the follow-up%' AND (data->>'appointmentId')::int = @id",
            new { chen, id }));
    }

    [Fact]
    public async Task AVisitLongerThanHalfAnHourMovesByHalfAnHourAndIsOfferedOnlyTimesWithRoomForIt()
    {
        var john = await AsAsync(Demo.John);
        var okafor = await database.UserIdAsync(Demo.Okafor);
        var day = Wednesday.AddDays(8);
        var id = await database.DataSource.InsertReturningAsync<int>("""
            INSERT INTO appointments (patient_id, doctor_id, appointment_date, appointment_time, duration_minutes, type, reason, status)
            VALUES (@john, @okafor, @day, '11:00', 60, 'Diagnostic', 'Skin biopsy', 'confirmed') RETURNING id
            """, new { john = (await database.UserIdAsync(Demo.John)), okafor, day });

        var offered = await john.FreeSlotsToMoveAsync(id, day);
        await john.RescheduleAsync(id, day, new TimeOnly(11, 30));

        Assert.Contains(new TimeOnly(11, 30), offered);
        Assert.DoesNotContain(new TimeOnly(11, 0), offered);
        Assert.Equal(new TimeOnly(16, 0), offered[^1]);
        Assert.Equal(new TimeOnly(11, 30), (await RowAsync(id))!.AppointmentTime);
        var error = await Assert.ThrowsAsync<BusinessRuleException>(() => john.RescheduleAsync(id, day, new TimeOnly(16, 30)));
        Assert.Contains("between 09:00 and 16:00", error.Message);
    }

    [Fact]
    public async Task APatientCannotRescheduleAnotherPatientsAppointment()
    {
        var emily = await AsAsync(Demo.Emily);
        var john = await AsAsync(Demo.John);
        var emilys = await BookAsync(emily, Demo.Patel, Wednesday.AddDays(1), 15);
        var before = await RowAsync(emilys);

        await Assert.ThrowsAsync<AccessDeniedException>(() => john.RescheduleAsync(emilys, Wednesday.AddDays(2), new TimeOnly(9, 0)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => john.FreeSlotsToMoveAsync(emilys, Wednesday.AddDays(2)));

        Assert.Equal(before, await RowAsync(emilys));
        Assert.Equal(0L, await RescheduleAuditRowsAsync(emilys));
    }

    [Theory]
    [InlineData(-1, 10, 0, "in the past")]
    [InlineData(0, 7, 30, "between 09:00 and 16:30")]
    [InlineData(3, 10, 0, "closed at weekends")]
    [InlineData(4, 10, 0, "closed at weekends")]
    [InlineData(1, 8, 30, "between 09:00 and 16:30")]
    [InlineData(1, 17, 0, "between 09:00 and 16:30")]
    [InlineData(1, 12, 15, "between 09:00 and 16:30")]
    public async Task AMoveToAPastWeekendOrOutOfHoursTimeIsRefusedAndNothingChanges(int dayOffset, int hour, int minute, string expected)
    {
        var michael = await AsAsync(Demo.Michael);
        var id = await BookAsync(michael, Demo.Chen, Wednesday.AddDays(2), 9, 30);
        try
        {
            var before = await RowAsync(id);

            var error = await Assert.ThrowsAsync<BusinessRuleException>(() =>
                michael.RescheduleAsync(id, Wednesday.AddDays(dayOffset), new TimeOnly(hour, minute)));

            Assert.Contains(expected, error.Message);
            Assert.Equal(before, await RowAsync(id));
            Assert.Equal(0L, await RescheduleAuditRowsAsync(id));
        }
        finally
        {
            await michael.CancelAsync(id, "Frees the slot for the next case");
        }
    }

    [Fact]
    public async Task AMoveToATimeThatIsAlreadyPassedTodayIsRefused()
    {
        var john = await AsAsync(Demo.John);
        var id = await BookAsync(john, Demo.Chen, Wednesday, 15);
        _time.SetUtcNow(new DateTimeOffset(Wednesday.ToDateTime(new TimeOnly(11, 10)), TimeSpan.Zero));

        var error = await Assert.ThrowsAsync<BusinessRuleException>(() => john.RescheduleAsync(id, Wednesday, new TimeOnly(11, 0)));

        Assert.Contains("already passed", error.Message);
        Assert.Equal(new TimeOnly(15, 0), (await RowAsync(id))!.AppointmentTime);
    }

    [Fact]
    public async Task AMoveToATakenTimeIsRefusedAsTakenAndTheAppointmentStays()
    {
        var john = await AsAsync(Demo.John);
        var emily = await AsAsync(Demo.Emily);
        var day = Wednesday.AddDays(5);
        await BookAsync(emily, Demo.Chen, day, 11);
        var id = await BookAsync(john, Demo.Chen, day, 9);
        var before = await RowAsync(id);

        var error = await Assert.ThrowsAsync<SlotTakenException>(() => john.RescheduleAsync(id, day, new TimeOnly(11, 0)));

        Assert.Contains("just taken", error.Message);
        Assert.Equal(before, await RowAsync(id));
        Assert.Equal(0L, await RescheduleAuditRowsAsync(id));
    }

    [Fact]
    public async Task APatientCannotMoveAnAppointmentOnTopOfAnotherOfTheirOwn()
    {
        var john = await AsAsync(Demo.John);
        var day = Wednesday.AddDays(6);
        await BookAsync(john, Demo.Okafor, day, 10);
        var id = await BookAsync(john, Demo.Chen, day, 13);

        var error = await Assert.ThrowsAsync<BusinessRuleException>(() => john.RescheduleAsync(id, day, new TimeOnly(10, 0)));

        Assert.Contains("already have an appointment", error.Message);
        Assert.Equal(new TimeOnly(13, 0), (await RowAsync(id))!.AppointmentTime);
    }

    [Fact]
    public async Task ACompletedOrCancelledAppointmentCannotBeRescheduled()
    {
        var john = await AsAsync(Demo.John);
        var completed = (await john.MineAsync()).Past.First(a => a.Status == "completed");
        var cancelled = await BookAsync(john, Demo.Chen, Wednesday.AddDays(7), 16);
        await john.CancelAsync(cancelled, "Feeling better");

        var first = await Assert.ThrowsAsync<BusinessRuleException>(() => john.RescheduleAsync(completed.Id, Wednesday.AddDays(8), new TimeOnly(9, 0)));
        var second = await Assert.ThrowsAsync<BusinessRuleException>(() => john.RescheduleAsync(cancelled, Wednesday.AddDays(8), new TimeOnly(9, 0)));

        Assert.Contains("scheduled or confirmed", first.Message);
        Assert.Contains("scheduled or confirmed", second.Message);
        Assert.Equal("cancelled", (await RowAsync(cancelled))!.Status);
        Assert.Equal(0L, await RescheduleAuditRowsAsync(completed.Id) + await RescheduleAuditRowsAsync(cancelled));
    }

    [Fact]
    public async Task WhenAMoveAndABookingRaceForOneSlotExactlyOneGetsIt()
    {
        var john = await AsAsync(Demo.John);
        var others = await Task.WhenAll(Demo.ActivePatients.Skip(1).Take(3).Select(AsAsync));
        var garcia = await database.UserIdAsync("dr.garcia@mediconnect.demo");
        var day = Wednesday.AddDays(9);

        for (var round = 0; round < others.Length; round++)
        {
            var target = new TimeOnly(14 + round, 0);
            var id = await BookAsync(john, "dr.garcia@mediconnect.demo", day, 9 + round);

            var outcomes = await Task.WhenAll(
                AttemptAsync(() => john.RescheduleAsync(id, day, target)),
                AttemptAsync(() => others[round].BookAsync(new BookingRequest(garcia, day, target, "Consultation", "Same slot"))));

            Assert.Equal(1, outcomes.Count(won => won));
            Assert.Equal(1L, await database.DataSource.QueryOneAsync<long>(
                "SELECT count(*) FROM appointments WHERE doctor_id = @garcia AND appointment_date = @day AND appointment_time = @target AND status <> 'cancelled'",
                new { garcia, day, target = target.ToTimeSpan() }));
            Assert.Equal(outcomes[0] ? target : new TimeOnly(9 + round, 0), (await RowAsync(id))!.AppointmentTime);
        }
    }

    static async Task<bool> AttemptAsync(Func<Task> attempt)
    {
        try
        {
            await attempt();
            return true;
        }
        catch (SlotTakenException)
        {
            return false;
        }
    }
}
