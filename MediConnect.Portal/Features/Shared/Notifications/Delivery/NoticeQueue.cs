using System.Text.Json;
using MediConnect.Portal.Data;

namespace MediConnect.Portal.Features.Shared.Notifications.Delivery;

/// <summary>
/// Queues email and SMS notices inside the caller's transaction (the transactional outbox): a
/// notice exists exactly when the change it tells of was committed, and the workers
/// (<see cref="OutboxWorker"/>) send it afterwards. Channels are decided here, from the user's
/// preferences (no row: email on, SMS off), their addresses (email: a verified address, else the
/// account's; SMS: a verified phone only) and whether the channel is configured at all. Reminders
/// and SMS falling in the user's quiet hours wait until the quiet hours end.
/// </summary>
public sealed class NoticeQueue(IEnumerable<INoticeSender> senders, NoticeSettings settings, NoticeTexts texts, TimeProvider time)
{
    readonly string[] _channels = [.. senders.Where(s => s.IsConfigured).Select(s => s.Channel).Distinct()];

    /// <summary>True when at least one channel (email, SMS) is configured.</summary>
    public bool IsOn => _channels.Length > 0;

    const string RecipientSql = """
        SELECT u.email AS account_email,
               (SELECT c.address FROM notification_contacts c
                WHERE c.user_id = u.id AND c.channel = 'email' AND c.verified_at IS NOT NULL) AS verified_email,
               (SELECT c.address FROM notification_contacts c
                WHERE c.user_id = u.id AND c.channel = 'sms' AND c.verified_at IS NOT NULL) AS verified_phone,
               COALESCE((SELECT p.enabled FROM notification_preferences p
                         WHERE p.user_id = u.id AND p.kind = @kind AND p.channel = 'email'), true) AS email_on,
               COALESCE((SELECT p.enabled FROM notification_preferences p
                         WHERE p.user_id = u.id AND p.kind = @kind AND p.channel = 'sms'), false) AS sms_on,
               s.quiet_from, s.quiet_until
        FROM users u
        LEFT JOIN notification_settings s ON s.user_id = u.id
        WHERE u.id = @userId AND u.is_active
        """;

    const string InsertSql = """
        INSERT INTO notifications (user_id, type, kind, recipient, title, message, data, status, send_after, appointment_id, created_at)
        VALUES (@UserId, @Channel, @Kind, @Recipient, @Title, @Message, @Data::jsonb, 'pending', @SendAfter, @AppointmentId, @Now)
        """;

    /// <summary>Queues one notice of <paramref name="kind"/> for a user on each channel they get it by; returns how many rows.</summary>
    public async Task<int> QueueAsync(DbTransactionScope tx, int userId, string kind, string title, string message, object data,
        DateTimeOffset? sendAfter = null, int? appointmentId = null)
    {
        if (!IsOn)
            return 0;
        var to = await tx.QueryOneAsync<Recipient>(RecipientSql, new { userId, kind });
        if (to is null)
            return 0;
        var now = time.GetUtcNow();
        var queued = 0;
        foreach (var channel in _channels)
        {
            var address = channel switch
            {
                "email" when to.EmailOn => to.VerifiedEmail ?? to.AccountEmail,
                "sms" when to.SmsOn => to.VerifiedPhone,
                _ => null,
            };
            if (address is null)
                continue;
            var at = sendAfter ?? now;
            if ((kind == NoticeKinds.AppointmentReminder || channel == "sms") && kind != NoticeKinds.CriticalReading)
                at = QuietHours.End(at, to.QuietFrom, to.QuietUntil, settings.ClinicTimeZone);
            queued += await tx.ExecuteAsync(InsertSql, new
            {
                UserId = userId, Channel = channel, Kind = kind, Recipient = address, Title = title, Message = message,
                Data = JsonSerializer.Serialize(data, Json), SendAfter = at, AppointmentId = appointmentId, Now = now,
            });
        }
        return queued;
    }

    const string AppointmentSql = """
        SELECT a.id, a.patient_id, a.appointment_date, a.appointment_time, a.duration_minutes, a.status, d.name AS doctor_name,
               (SELECT COALESCE(max((n.data ->> 'sequence')::int) + 1, 0) FROM notifications n
                WHERE n.appointment_id = a.id AND n.data ? 'sequence') AS next_sequence
        FROM appointments a
        JOIN users d ON d.id = a.doctor_id
        WHERE a.id = @appointmentId
        """;

    const string CancelRemindersSql = """
        UPDATE notifications SET status = 'cancelled', error_message = @why
        WHERE appointment_id = @appointmentId AND kind = 'appointment_reminder' AND status = 'pending'
        """;

    /// <summary>
    /// Tells the patient their visit was booked, moved (<see cref="NoticeKinds.AppointmentRescheduled"/>) or
    /// cancelled, with a calendar invite of a stable UID and a rising SEQUENCE; and schedules its reminders
    /// anew: a move drops the pending ones and queues them at the new time, a cancellation drops them.
    /// </summary>
    public async Task AppointmentChangedAsync(DbTransactionScope tx, int appointmentId, string kind)
    {
        if (!IsOn)
            return;
        var visit = await tx.QueryOneAsync<VisitRow>(AppointmentSql, new { appointmentId })
            ?? throw new InvalidOperationException($"Appointment {appointmentId} is not there.");
        var cancelled = kind == NoticeKinds.AppointmentCancelled;
        await tx.ExecuteAsync(CancelRemindersSql, new { appointmentId, why = cancelled ? "The visit was cancelled." : "The visit moved." });

        var clinicStart = visit.AppointmentDate.ToDateTime(visit.AppointmentTime);
        var start = ToUtc(clinicStart);
        var (title, message) = NoticeTexts.In(NoticeTexts.DefaultCulture, () => texts.Appointment(kind, visit.DoctorName, clinicStart));
        var invite = new
        {
            appointmentId, sequence = visit.NextSequence, method = cancelled ? "CANCEL" : "REQUEST",
            start, end = start.AddMinutes(visit.DurationMinutes), doctorName = visit.DoctorName, link = PatientAppointments,
        };
        await QueueAsync(tx, visit.PatientId, kind, title, message, invite, appointmentId: appointmentId);
        if (cancelled || visit.Status is not ("scheduled" or "confirmed"))
            return;

        var now = time.GetUtcNow();
        var (reminderTitle, reminderMessage) = NoticeTexts.In(NoticeTexts.DefaultCulture,
            () => texts.Appointment(NoticeKinds.AppointmentReminder, visit.DoctorName, clinicStart));
        foreach (var offset in settings.ReminderOffsets)
        {
            var at = start - offset;
            if (at <= now)
                continue; // that reminder's moment has passed: none rather than a late one
            await QueueAsync(tx, visit.PatientId, NoticeKinds.AppointmentReminder, reminderTitle, reminderMessage,
                new { appointmentId, offsetMinutes = (int)offset.TotalMinutes, start, doctorName = visit.DoctorName, link = PatientAppointments },
                at, appointmentId);
        }
    }

    /// <summary>"You have a new message from Dr. Smith": never the subject or the text.</summary>
    public Task NewMessageAsync(DbTransactionScope tx, int recipientId, string senderName, int messageId)
    {
        var (title, message) = NoticeTexts.In(NoticeTexts.DefaultCulture, () => texts.NewMessage(senderName));
        return QueueAsync(tx, recipientId, NoticeKinds.NewMessage, title, message, new { messageId, link = "/messages" });
    }

    /// <summary>"A new result is available": never what it is.</summary>
    public Task NewResultAsync(DbTransactionScope tx, int patientUserId, int recordId)
    {
        var (title, message) = NoticeTexts.In(NoticeTexts.DefaultCulture, texts.NewResult);
        return QueueAsync(tx, patientUserId, NoticeKinds.NewResult, title, message, new { recordId, link = "/patient/records" });
    }

    const string RecentCriticalSql = """
        SELECT EXISTS (
            SELECT 1 FROM notifications
            WHERE user_id = @doctorId AND kind = 'critical_reading' AND type IN ('email', 'sms')
              AND data ->> 'patientUserId' = @patient AND created_at > @since)
        """;

    /// <summary>
    /// A doctor's critical-reading notice by email or SMS (the bell has its own), at most one per
    /// patient and doctor within <see cref="NoticeSettings.CriticalReadingInterval"/>, so a faulty device
    /// does not send fifty texts. It never waits for quiet hours. Returns whether one was queued.
    /// </summary>
    public async Task<bool> CriticalReadingAsync(DbTransactionScope tx, int doctorId, int patientUserId)
    {
        if (!IsOn)
            return false;
        var since = time.GetUtcNow() - settings.CriticalReadingInterval;
        if (await tx.QueryOneAsync<bool>(RecentCriticalSql, new { doctorId, patient = patientUserId.ToString(System.Globalization.CultureInfo.InvariantCulture), since }))
            return false;
        var (title, message) = NoticeTexts.In(NoticeTexts.DefaultCulture, texts.CriticalReading);
        return await QueueAsync(tx, doctorId, NoticeKinds.CriticalReading, title, message,
            new { patientUserId = patientUserId.ToString(System.Globalization.CultureInfo.InvariantCulture), link = $"/doctor/patients/{patientUserId}" }) > 0;
    }

    const string PatientAppointments = "/patient/appointments";

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    DateTimeOffset ToUtc(DateTime clinicTime) =>
        new(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(clinicTime, DateTimeKind.Unspecified), settings.ClinicTimeZone), TimeSpan.Zero);

    sealed record Recipient(string AccountEmail, string? VerifiedEmail, string? VerifiedPhone, bool EmailOn, bool SmsOn, TimeOnly? QuietFrom, TimeOnly? QuietUntil);

    sealed record VisitRow(int Id, int PatientId, DateOnly AppointmentDate, TimeOnly AppointmentTime, int DurationMinutes, string Status, string DoctorName, int NextSequence);
}

/// <summary>Quiet hours in the clinic's time zone: a moment inside them moves to their end.</summary>
public static class QuietHours
{
    public static DateTimeOffset End(DateTimeOffset at, TimeOnly? from, TimeOnly? until, TimeZoneInfo zone)
    {
        if (from is not { } start || until is not { } end)
            return at;
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var clock = TimeOnly.FromDateTime(local.DateTime);
        var inside = start < end ? clock >= start && clock < end : clock >= start || clock < end;
        if (!inside)
            return at;
        var endDay = DateOnly.FromDateTime(local.DateTime);
        if (start > end && clock >= start)
            endDay = endDay.AddDays(1); // 22:00–07:00, now 23:00: the quiet ends tomorrow
        var endLocal = endDay.ToDateTime(end);
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(endLocal, zone), TimeSpan.Zero);
    }
}
