using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Patient.Appointments;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;

namespace MediConnect.Portal.Tests.Features.Shared.Notifications.Delivery;

/// <summary>Reminders as scheduled outbox rows: they arrive at their offsets under the test's clock, move with the visit and go with it.</summary>
public sealed class NoticeQueueTests(TestDatabase database, SmtpServer smtp) : IClassFixture<TestDatabase>, IClassFixture<SmtpServer>
{
    static readonly DateOnly Wednesday = Demo.QuietWednesday;
    static readonly DateOnly Thursday = Wednesday.AddDays(1);
    readonly FakeTimeProvider _time = Demo.QuietWednesdayMorning();

    async Task<(PatientAppointmentService Booking, string Email, NoticeHarness Delivery)> NewPatientAsync()
    {
        var delivery = new NoticeHarness(database, smtp.Settings, _time);
        var email = await database.NewUserAsync("patient");
        var user = await database.SignedInAsync(email);
        return (new PatientAppointmentService(database.DataSource, user, Demo.Audit(user), _time, delivery.Queue), email, delivery);
    }

    int Reminders(string email) => smtp.To(email).Count(m => m.Subject?.StartsWith("Reminder", StringComparison.Ordinal) == true);

    void At(DateOnly day, int hour, int minute) => _time.SetUtcNow(new DateTimeOffset(day.ToDateTime(new TimeOnly(hour, minute)), TimeSpan.Zero));

    [Fact]
    public async Task RemindersArriveTwentyFourAndTwoHoursBeforeTheVisit()
    {
        var (booking, email, delivery) = await NewPatientAsync();
        await using var _ = delivery;
        var worker = delivery.Worker();
        await booking.BookAsync(new BookingRequest(await database.UserIdAsync(Demo.Okafor), Thursday, new TimeOnly(10, 30), "Consultation", "Back pain"));
        await NoticeHarness.DrainAsync(worker);
        await smtp.WaitForAsync(email); // the confirmation

        At(Wednesday, 10, 29);
        await NoticeHarness.DrainAsync(worker);
        Assert.Equal(0, Reminders(email));

        At(Wednesday, 10, 30);
        await NoticeHarness.DrainAsync(worker);
        var first = (await smtp.WaitForAsync(email, 2)).Single(m => m.Subject!.StartsWith("Reminder", StringComparison.Ordinal));
        Assert.Equal("Reminder: your visit with Dr. Ngozi Okafor", first.Subject);
        Assert.Contains($"{Thursday.ToDateTime(new TimeOnly(10, 30)):dddd d MMMM yyyy} at 10:30", first.TextBody);
        Assert.DoesNotContain("Back pain", first.TextBody);

        At(Thursday, 8, 29);
        await NoticeHarness.DrainAsync(worker);
        Assert.Equal(1, Reminders(email));
        At(Thursday, 8, 30);
        await NoticeHarness.DrainAsync(worker);
        await smtp.WaitForAsync(email, 3);
        Assert.Equal(2, Reminders(email));
    }

    [Fact]
    public async Task AReminderWhoseMomentHasPassedIsNotScheduled()
    {
        var (booking, _, delivery) = await NewPatientAsync();
        await using var __ = delivery;

        var id = await booking.BookAsync(new BookingRequest(await database.UserIdAsync(Demo.Chen), Wednesday, new TimeOnly(11, 0), "Consultation", "Cough"));

        var reminders = await database.DataSource.QueryListAsync<DateTime>(
            "SELECT send_after FROM notifications WHERE appointment_id = @id AND kind = 'appointment_reminder'", new { id });
        Assert.Equal([Wednesday.ToDateTime(new TimeOnly(9, 0))], reminders.Select(r => r.ToUniversalTime()));
    }

    [Fact]
    public async Task MovingAVisitMovesItsRemindersAndCancellingItDropsThem()
    {
        var (booking, email, delivery) = await NewPatientAsync();
        await using var _ = delivery;
        var worker = delivery.Worker();
        var id = await booking.BookAsync(new BookingRequest(await database.UserIdAsync(Demo.Patel), Thursday, new TimeOnly(10, 30), "Consultation", "Headache"));

        await booking.RescheduleAsync(id, Thursday.AddDays(1), new TimeOnly(14, 0));

        var pending = await database.DataSource.QueryListAsync<DateTime>(
            "SELECT send_after FROM notifications WHERE appointment_id = @id AND kind = 'appointment_reminder' AND status = 'pending' ORDER BY send_after", new { id });
        Assert.Equal([Thursday.ToDateTime(new TimeOnly(14, 0)), Thursday.AddDays(1).ToDateTime(new TimeOnly(12, 0))], pending.Select(r => r.ToUniversalTime()));
        At(Wednesday, 10, 30); // the old 24-hour reminder's moment
        await NoticeHarness.DrainAsync(worker);
        await smtp.WaitForAsync(email, 2); // booked, moved
        Assert.Equal(0, Reminders(email));

        await booking.CancelAsync(id, "Cannot come");
        At(Thursday.AddDays(1), 13, 0);
        await NoticeHarness.DrainAsync(worker);
        await smtp.WaitForAsync(email, 3); // and cancelled
        Assert.Equal(0, Reminders(email));
        Assert.Equal(0L, await database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM notifications WHERE appointment_id = @id AND kind = 'appointment_reminder' AND status = 'pending'", new { id }));
    }

    [Fact]
    public async Task AReminderDueInTheQuietHoursWaitsUntilTheyEnd()
    {
        var (booking, email, delivery) = await NewPatientAsync();
        await using var _ = delivery;
        await database.DataSource.ExecuteAsync("""
            INSERT INTO notification_settings (user_id, quiet_from, quiet_until)
            SELECT id, '06:00', '08:00' FROM users WHERE email = @email
            """, new { email });

        var id = await booking.BookAsync(new BookingRequest(await database.UserIdAsync(Demo.Smith), Thursday, new TimeOnly(9, 0), "Consultation", "Sleep"));

        var reminders = await database.DataSource.QueryListAsync<DateTime>(
            "SELECT send_after FROM notifications WHERE appointment_id = @id AND kind = 'appointment_reminder' ORDER BY send_after", new { id });
        // 24 h before: Wednesday 09:00, outside; 2 h before: Thursday 07:00, inside 06:00–08:00, so at 08:00.
        Assert.Equal([Wednesday.ToDateTime(new TimeOnly(9, 0)), Thursday.ToDateTime(new TimeOnly(8, 0))], reminders.Select(r => r.ToUniversalTime()));
    }
}
