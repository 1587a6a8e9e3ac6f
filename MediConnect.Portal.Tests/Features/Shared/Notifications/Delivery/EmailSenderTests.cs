using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Doctor.Appointments;
using MediConnect.Portal.Features.Patient.Appointments;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace MediConnect.Portal.Tests.Features.Shared.Notifications.Delivery;

/// <summary>What arrives at a real SMTP server when the outbox sends a patient's visit notices.</summary>
public sealed class EmailSenderTests(TestDatabase database, SmtpServer smtp) : IClassFixture<TestDatabase>, IClassFixture<SmtpServer>
{
    static readonly DateOnly Thursday = Demo.QuietWednesday.AddDays(1);
    readonly FakeTimeProvider _time = Demo.QuietWednesdayMorning();

    async Task<(PatientAppointmentService Booking, string Email)> NewPatientAsync(NoticeHarness delivery)
    {
        var email = await database.NewUserAsync("patient");
        var user = await database.SignedInAsync(email);
        return (new PatientAppointmentService(database.DataSource, user, Demo.Audit(user), _time, delivery.Queue), email);
    }

    [Fact]
    public async Task ABookingEmailsThePatientAConfirmationWithACalendarInviteAndNoClinicalText()
    {
        await using var delivery = new NoticeHarness(database, smtp.Settings, _time);
        var (booking, email) = await NewPatientAsync(delivery);
        var okafor = await database.UserIdAsync(Demo.Okafor);

        var id = await booking.BookAsync(new BookingRequest(okafor, Thursday, new TimeOnly(10, 30), "Consultation", "Itchy rash on my arm"));
        await NoticeHarness.DrainAsync(delivery.Worker());

        var mail = Assert.Single(await smtp.WaitForAsync(email));
        Assert.Equal("Your visit is booked", mail.Subject);
        Assert.Equal("notices@clinic.test", mail.From.Mailboxes.Single().Address);
        Assert.Equal("Test Clinic", mail.From.Mailboxes.Single().Name);
        var visit = $"{Thursday.ToDateTime(new TimeOnly(10, 30)):dddd d MMMM yyyy} at 10:30";
        Assert.Contains($"Your visit with Dr. Ngozi Okafor is booked for {visit}.", mail.TextBody);
        Assert.Contains($"Your visit with Dr. Ngozi Okafor is booked for {visit}.", mail.HtmlBody);
        Assert.Contains("https://portal.clinic.test/patient/appointments", mail.TextBody);
        Assert.Contains("href=\"https://portal.clinic.test/patient/appointments\"", mail.HtmlBody);

        var ics = Invite(mail);
        Assert.Contains("METHOD:REQUEST", ics);
        Assert.Contains($"UID:appointment-{id}@clinic.test", ics);
        Assert.Contains("SEQUENCE:0", ics);
        Assert.Contains($"DTSTART:{Thursday:yyyyMMdd}T103000Z", ics);
        Assert.Contains($"DTEND:{Thursday:yyyyMMdd}T110000Z", ics);
        Assert.Contains("SUMMARY:Visit with Dr. Ngozi Okafor", ics);

        Assert.StartsWith("<https://portal.clinic.test/unsubscribe?token=", mail.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]);
        foreach (var text in new[] { mail.Subject, mail.TextBody, mail.HtmlBody, ics })
        {
            Assert.DoesNotContain("rash", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Consultation", text, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal("sent", await database.DataSource.QueryOneAsync<string>(
            "SELECT status FROM notifications WHERE appointment_id = @id AND kind = 'appointment_booked'", new { id }));
    }

    [Fact]
    public async Task MovingAndCancellingAVisitUpdateTheSameCalendarEvent()
    {
        await using var delivery = new NoticeHarness(database, smtp.Settings, _time);
        var (booking, email) = await NewPatientAsync(delivery);
        var chen = await database.UserIdAsync(Demo.Chen);
        var id = await booking.BookAsync(new BookingRequest(chen, Thursday, new TimeOnly(9, 0), "Follow-up", "Knee pain again"));

        await booking.RescheduleAsync(id, Thursday.AddDays(1), new TimeOnly(14, 0));
        await booking.CancelAsync(id, "Feeling better");
        await NoticeHarness.DrainAsync(delivery.Worker());

        var mails = (await smtp.WaitForAsync(email, 3)).ToDictionary(m => m.Subject ?? "");
        var moved = Invite(mails["Your visit has moved"]);
        Assert.Contains($"UID:appointment-{id}@clinic.test", moved);
        Assert.Contains("METHOD:REQUEST", moved);
        Assert.Contains("SEQUENCE:1", moved);
        Assert.Contains($"DTSTART:{Thursday.AddDays(1):yyyyMMdd}T140000Z", moved);
        var cancelled = Invite(mails["Your visit is cancelled"]);
        Assert.Contains($"UID:appointment-{id}@clinic.test", cancelled);
        Assert.Contains("METHOD:CANCEL", cancelled);
        Assert.Contains("SEQUENCE:2", cancelled);
        Assert.Contains("STATUS:CANCELLED", cancelled);
        Assert.DoesNotContain("Feeling better", mails["Your visit is cancelled"].TextBody);
        Assert.DoesNotContain("Knee", mails["Your visit has moved"].TextBody);
    }

    [Fact]
    public async Task ADoctorCancellingAVisitEmailsThePatientTheCalendarCancelWithoutTheReason()
    {
        await using var delivery = new NoticeHarness(database, smtp.Settings, _time);
        var (booking, email) = await NewPatientAsync(delivery);
        var id = await booking.BookAsync(new BookingRequest(await database.UserIdAsync(Demo.Okafor), Thursday, new TimeOnly(15, 0), "Consultation", "Rash"));
        var okafor = await database.SignedInAsync(Demo.Okafor);
        var appointments = new DoctorAppointments(database.DataSource, okafor, Demo.Audit(okafor), _time, delivery.Queue);

        var visit = await appointments.GetAsync(id);
        await appointments.MoveAsync(id, AppointmentStatus.Cancelled, visit.UpdatedAt, "Doctor away at a conference");
        await NoticeHarness.DrainAsync(delivery.Worker());

        var mails = (await smtp.WaitForAsync(email, 2)).ToDictionary(m => m.Subject ?? "");
        var cancelled = Invite(mails["Your visit is cancelled"]);
        Assert.Contains($"UID:appointment-{id}@clinic.test", cancelled);
        Assert.Contains("METHOD:CANCEL", cancelled);
        Assert.DoesNotContain("conference", mails["Your visit is cancelled"].TextBody);
        Assert.Equal(0L, await database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM notifications WHERE appointment_id = @id AND kind = 'appointment_reminder' AND status = 'pending'", new { id }));
    }

    [Fact]
    public async Task AVerificationCodeArrivesByEmailAndIsNotKeptInTheOutboxOnceSent()
    {
        await using var delivery = new NoticeHarness(database, smtp.Settings, _time);
        var email = await database.NewUserAsync("patient");
        var id = await database.DataSource.QueryOneAsync<int>("""
            INSERT INTO notifications (user_id, type, kind, recipient, title, message, status, send_after)
            SELECT id, 'email', 'contact_verification', @email, 'Your verification code', 'Your code is 418263. It works for 10 minutes.', 'pending', @due
            FROM users WHERE email = @email
            RETURNING id
            """, new { email, due = _time.GetUtcNow().AddMinutes(-1) });

        await NoticeHarness.DrainAsync(delivery.Worker());

        Assert.Contains("418263", Assert.Single(await smtp.WaitForAsync(email)).TextBody);
        var kept = await database.DataSource.QueryOneAsync<string>("SELECT message FROM notifications WHERE id = @id AND status = 'sent'", new { id });
        Assert.DoesNotContain("418263", kept);
    }

    [Fact]
    public async Task WithEmailOffForAKindNoEmailOfThatKindIsQueued()
    {
        await using var delivery = new NoticeHarness(database, smtp.Settings, _time);
        var (booking, email) = await NewPatientAsync(delivery);
        await database.DataSource.ExecuteAsync("""
            INSERT INTO notification_preferences (user_id, kind, channel, enabled)
            SELECT id, 'appointment_booked', 'email', false FROM users WHERE email = @email
            """, new { email });

        var id = await booking.BookAsync(new BookingRequest(await database.UserIdAsync(Demo.Patel), Thursday, new TimeOnly(11, 0), "Consultation", "Check-up"));

        var kinds = await database.DataSource.QueryListAsync<string>(
            "SELECT kind FROM notifications WHERE appointment_id = @id AND type = 'email'", new { id });
        Assert.DoesNotContain("appointment_booked", kinds);
        Assert.Contains("appointment_reminder", kinds);
    }

    /// <summary>The .ics attachment's text.</summary>
    internal static string Invite(MimeMessage mail)
    {
        var part = Assert.Single(mail.Attachments.OfType<MimePart>(), a => a.ContentType.IsMimeType("text", "calendar"));
        using var stream = new MemoryStream();
        part.Content!.DecodeTo(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
