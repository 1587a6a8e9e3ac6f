using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Doctor.Records;
using MediConnect.Portal.Features.Patient.Appointments;
using MediConnect.Portal.Features.Patient.Vitals;
using MediConnect.Portal.Features.Shared.Messages;
using MediConnect.Portal.Features.Shared.Notifications;
using MediConnect.Portal.Features.Shared.Vitals;
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

    [Fact]
    public async Task ANewMessageANewResultAndACriticalReadingAreAnnouncedWithoutTheirContent()
    {
        await using var delivery = new NoticeHarness(database, smtp.Settings, _time);
        var smithUser = await database.SignedInAsync(Demo.Smith);
        var johnUser = await database.SignedInAsync(Demo.John);
        var john = johnUser.User!.Id;

        await new MessageService(database.DataSource, smithUser, Demo.Audit(smithUser), Demo.CareTeam(database), new UnreadCounts(), delivery.Queue)
            .SendAsync(new ComposeMessage { RecipientId = john, Subject = "Your biopsy", Body = "The biopsy shows a benign lesion." });
        await new ConsultationNotes(database.DataSource, smithUser, Demo.CareTeam(database), Demo.Audit(smithUser), delivery.Queue)
            .SaveAsync(new NoteDraft { PatientUserId = john, ChiefComplaint = "Migraine", Diagnosis = "Tension headache" });
        var recorder = new VitalSignsRecorder(database.DataSource, johnUser, Demo.Audit(johnUser), Demo.CareTeam(database), _time, delivery.Queue);
        await recorder.RecordAsync(new VitalReadingInput(BloodPressure: new BloodPressure(185, 110), HeartRate: 80));
        await recorder.RecordAsync(new VitalReadingInput(BloodPressure: new BloodPressure(190, 115), HeartRate: 82)); // within 30 minutes: no second email
        await NoticeHarness.DrainAsync(delivery.Worker());

        var toJohn = await smtp.WaitForAsync(Demo.John, 2);
        var message = Assert.Single(toJohn, m => m.Subject == "You have a new message");
        Assert.Contains("You have a new message from Dr. Sarah Smith. Sign in to the portal to read it.", message.TextBody);
        Assert.Contains("https://portal.clinic.test/messages", message.TextBody);
        var result = Assert.Single(toJohn, m => m.Subject == "A new result is available");
        Assert.Contains("https://portal.clinic.test/patient/records", result.TextBody);
        var toSmith = Assert.Single(await smtp.WaitForAsync(Demo.Smith));
        Assert.Equal("A reading needs your attention", toSmith.Subject);
        Assert.Contains($"https://portal.clinic.test/doctor/patients/{john}", toSmith.TextBody);
        foreach (var mail in toJohn.Append(toSmith))
            foreach (var clinical in new[] { "biopsy", "benign", "Migraine", "headache", "185", "mmHg", "John Doe" })
            {
                Assert.DoesNotContain(clinical, mail.Subject, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(clinical, mail.TextBody, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(clinical, mail.HtmlBody, StringComparison.OrdinalIgnoreCase);
            }

        _time.Advance(TimeSpan.FromMinutes(31));
        await recorder.RecordAsync(new VitalReadingInput(BloodPressure: new BloodPressure(186, 111), HeartRate: 81));
        await NoticeHarness.DrainAsync(delivery.Worker());
        Assert.Equal(2, (await smtp.WaitForAsync(Demo.Smith, 2)).Count);
    }
}
