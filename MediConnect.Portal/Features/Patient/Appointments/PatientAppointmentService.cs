using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Notifications;
using MediConnect.Portal.Features.Shared.Notifications.Delivery;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Patient.Appointments;

/// <summary>
/// A patient's own appointments: list, book a free 30-minute slot with a doctor, move one to another
/// free slot, cancel. Booking and moving check a slot with the same rules (<see cref="ClinicHours"/>,
/// <see cref="SlotAvailability"/>); the unique index <c>appointments_doctor_slot_live_key</c> decides who
/// gets a slot two people race for. Each change queues the patient's email/SMS confirmation and
/// reminders (<see cref="NoticeQueue"/>) in its own transaction.
/// </summary>
public sealed class PatientAppointmentService(NpgsqlDataSource db, ICurrentUser currentUser, AuditLog audit, TimeProvider time, NoticeQueue? notices = null)
{
    public static readonly TextField Reason = new("The reason", 500, TextKind.Lines, Missing: "Say briefly why you would like to see the doctor.");
    public static readonly TextField CancelReason = new("The reason", 500, TextKind.Lines, Missing: "Give a reason for cancelling.");
    const int SlotMinutes = ClinicHours.SlotMinutes;
    public static readonly IReadOnlyList<string> Types = ["Consultation", "Follow-up", "Annual Physical", "Diagnostic", "Vaccination"];

    readonly SlotAvailability _slots = new(db, time);

    const string SlotIndex = "appointments_doctor_slot_live_key";

    const string DoctorsSql = """
        SELECT id, name, specialization
        FROM users
        WHERE role = 'doctor' AND is_active
        ORDER BY specialization, name
        """;

    // The patient's appointments, as PatientAppointment rows (the after-visit summary reads them too).
    internal const string PatientAppointmentsSql = """
        SELECT a.id, a.doctor_id, d.name AS doctor_name, d.specialization AS doctor_specialization,
               a.appointment_date, a.appointment_time, a.duration_minutes, a.type, a.reason, a.status,
               a.cancellation_reason
        FROM appointments a
        JOIN users d ON d.id = a.doctor_id
        WHERE a.patient_id = @patientId
        """;

    const string MineSql = $"""
        {PatientAppointmentsSql}
        ORDER BY a.appointment_date, a.appointment_time
        """;

    const string InsertSql = """
        INSERT INTO appointments (patient_id, doctor_id, appointment_date, appointment_time, duration_minutes, type, reason, status)
        VALUES (@PatientId, @DoctorId, @Date, @Time, @DurationMinutes, @Type, @Reason, 'scheduled')
        RETURNING id
        """;

    const string OneSql = $"""
        {PatientAppointmentsSql}
          AND a.id = @id
        FOR UPDATE OF a
        """;

    const string CancelSql = """
        UPDATE appointments SET status = 'cancelled', cancellation_reason = @reason
        WHERE id = @id AND patient_id = @patientId
        """;

    const string MovableSql = """
        SELECT a.id, a.doctor_id, a.appointment_date, a.appointment_time, a.duration_minutes, a.type, a.status, a.updated_at
        FROM appointments a
        WHERE a.id = @id AND a.patient_id = @patientId
        """;

    // updated_at as the patient's read saw it: a change in between (the doctor confirmed or
    // cancelled it, another tab moved it) matches no row. The set_updated_at trigger bumps it.
    const string MoveSql = """
        UPDATE appointments SET appointment_date = @date, appointment_time = @time, status = 'scheduled'
        WHERE id = @id AND patient_id = @patientId AND updated_at = @seen AND status IN ('scheduled', 'confirmed')
        """;

    /// <summary>Now and today at the clinic.</summary>
    DateTime Now => time.GetLocalNow().DateTime;

    /// <summary>Today at the clinic, the first day a visit may be booked.</summary>
    public DateOnly Today => DateOnly.FromDateTime(Now);

    /// <summary>The last day a visit may be booked (the booking horizon).</summary>
    public DateOnly LastBookableDay => Today.AddDays(ClinicHours.HorizonDays);

    /// <summary>Why a date cannot be booked, or null when it can (<see cref="ClinicHours.CheckDate"/>).</summary>
    public string? CheckDate(DateOnly? date) => ClinicHours.CheckDate(date, DateOnly.FromDateTime(Now));

    public async Task<IReadOnlyList<BookableDoctor>> DoctorsAsync(CancellationToken ct = default)
    {
        await currentUser.RequireAsync(Roles.Patient);
        return await db.QueryListAsync<BookableDoctor>(DoctorsSql, ct: ct);
    }

    /// <summary>The signed-in patient's appointments: upcoming (soonest first) and past (latest first).</summary>
    public async Task<MyAppointments> MineAsync(CancellationToken ct = default)
    {
        var user = await currentUser.RequireAsync(Roles.Patient);
        var all = await db.QueryListAsync<PatientAppointment>(MineSql, new { patientId = user.Id }, ct);
        var now = Now;
        var upcoming = all.Where(a => a.Status is "scheduled" or "confirmed" or "in_progress" && a.StartsAt.AddMinutes(a.DurationMinutes) > now).ToList();
        var past = all.Except(upcoming).OrderByDescending(a => a.StartsAt).ToList();
        return new MyAppointments(upcoming, past);
    }

    /// <summary>The doctor's free 30-minute slots on a day (none for a past day, a weekend, or slots already passed today).</summary>
    /// <exception cref="BusinessRuleException">The date cannot be booked, or the doctor is unknown.</exception>
    public async Task<IReadOnlyList<TimeOnly>> FreeSlotsAsync(int doctorId, DateOnly date, CancellationToken ct = default)
    {
        await currentUser.RequireAsync(Roles.Patient);
        if (CheckDate(date) is { } problem)
            throw new BusinessRuleException(problem);
        await RequireDoctorAsync(doctorId, ct);
        return await _slots.OpenSlotsAsync(doctorId, date, SlotMinutes, movingId: null, ct);
    }

    /// <summary>How many days with free times the booking and moving forms offer at once.</summary>
    public const int NextDaysOffered = 3;

    /// <summary>The doctor's next days with free 30-minute slots (weekdays from today, within six months), each with its times.</summary>
    /// <exception cref="BusinessRuleException">The doctor is unknown.</exception>
    public async Task<IReadOnlyList<FreeDay>> NextFreeDaysAsync(int doctorId, CancellationToken ct = default)
    {
        await currentUser.RequireAsync(Roles.Patient);
        await RequireDoctorAsync(doctorId, ct);
        return await _slots.OpenDaysAsync(doctorId, SlotMinutes, movingId: null, NextDaysOffered, ct);
    }

    /// <summary>The next days one of the patient's own appointments could move to, each with its times (its current time left out).</summary>
    /// <exception cref="AccessDeniedException">It is not the patient's appointment (or does not exist).</exception>
    /// <exception cref="BusinessRuleException">The appointment can no longer be moved.</exception>
    public async Task<IReadOnlyList<FreeDay>> NextFreeDaysToMoveAsync(int appointmentId, CancellationToken ct = default)
    {
        var user = await currentUser.RequireAsync(Roles.Patient);
        var appointment = await MovableAsync(user.Id, appointmentId, ct);
        // One more day than offered: the appointment's own day may have no other time.
        var days = await _slots.OpenDaysAsync(appointment.DoctorId, appointment.DurationMinutes, appointment.Id, NextDaysOffered + 1, ct);
        return [.. days
            .Select(d => d.Date == appointment.AppointmentDate ? d with { Times = [.. d.Times.Where(t => t != appointment.AppointmentTime)] } : d)
            .Where(d => d.Times.Count > 0)
            .Take(NextDaysOffered)];
    }

    /// <summary>
    /// The times one of the patient's own appointments could move to on a day: its doctor's free
    /// half hours with room for the whole visit, its current time left out.
    /// </summary>
    /// <exception cref="AccessDeniedException">It is not the patient's appointment (or does not exist).</exception>
    /// <exception cref="BusinessRuleException">The date cannot be booked, or the appointment can no longer be moved.</exception>
    public async Task<IReadOnlyList<TimeOnly>> FreeSlotsToMoveAsync(int appointmentId, DateOnly date, CancellationToken ct = default)
    {
        var user = await currentUser.RequireAsync(Roles.Patient);
        var appointment = await MovableAsync(user.Id, appointmentId, ct);
        if (CheckDate(date) is { } problem)
            throw new BusinessRuleException(problem);
        var slots = await _slots.OpenSlotsAsync(appointment.DoctorId, date, appointment.DurationMinutes, appointment.Id, ct);
        return date == appointment.AppointmentDate ? [.. slots.Where(s => s != appointment.AppointmentTime)] : slots;
    }

    /// <summary>Books the slot for the signed-in patient and tells the doctor.</summary>
    /// <exception cref="BusinessRuleException">A rule is broken (the message says which).</exception>
    /// <exception cref="SlotTakenException">The slot is no longer free.</exception>
    public async Task<int> BookAsync(BookingRequest request, CancellationToken ct = default)
    {
        var user = await currentUser.RequireAsync(Roles.Patient);
        var (date, slot) = ClinicHours.CheckWhen(request.Date, request.Time, SlotMinutes, Now);
        var type = request.Type?.Trim();
        if (type is null || !Types.Contains(type))
            throw new BusinessRuleException("Pick the type of appointment.");
        if (Reason.Error(request.Reason) is { } reasonError)
            throw new BusinessRuleException(reasonError);
        var reason = request.Reason!.Trim();
        var doctor = await RequireDoctorAsync(request.DoctorId, ct);
        await _slots.CheckFreeAsync(user.Id, doctor.Id, date, slot, SlotMinutes, movingId: null, ct);

        var row = new { PatientId = user.Id, DoctorId = doctor.Id, Date = date, Time = slot.ToTimeSpan(), DurationMinutes = SlotMinutes, Type = type, Reason = reason };
        try
        {
            return await db.InTransactionAsync(async tx =>
            {
                var id = await tx.InsertReturningAsync<int>(InsertSql, row);
                // The visit's who and when; the reason's field name, never its text (see AuditLog).
                await audit.WriteAsync(tx, "appointment_book", "appointments", id, null,
                    new { row.PatientId, row.DoctorId, row.Date, row.Time, row.DurationMinutes, row.Type, written = new[] { "reason" } });
                await NotifyDoctorAsync(tx, doctor.Id, id, "New appointment",
                    $"{user.Name} booked a {type.ToLowerInvariant()} on {When(date, slot)}.");
                await TellPatientAsync(tx, id, NoticeKinds.AppointmentBooked);
                return id;
            }, ct: ct);
        }
        catch (PostgresException e) when (IsSlotTaken(e))
        {
            throw new SlotTakenException();
        }
    }

    /// <summary>
    /// Moves one of the signed-in patient's upcoming scheduled or confirmed appointments to another
    /// free time with the same doctor (same type, reason and length), by the booking rules. It goes
    /// back to scheduled, so the doctor confirms it again; the doctor is told.
    /// </summary>
    /// <exception cref="AccessDeniedException">It is not the patient's appointment (or does not exist).</exception>
    /// <exception cref="BusinessRuleException">It cannot be moved, the new time breaks a rule, or it changed meanwhile.</exception>
    /// <exception cref="SlotTakenException">The new slot is no longer free.</exception>
    public async Task RescheduleAsync(int appointmentId, DateOnly? newDate, TimeOnly? newTime, CancellationToken ct = default)
    {
        var user = await currentUser.RequireAsync(Roles.Patient);
        var old = await MovableAsync(user.Id, appointmentId, ct);
        var (date, slot) = ClinicHours.CheckWhen(newDate, newTime, old.DurationMinutes, Now);
        if (date == old.AppointmentDate && slot == old.AppointmentTime)
            throw new BusinessRuleException("That is the appointment's current time. Pick a different time.");
        await _slots.CheckFreeAsync(user.Id, old.DoctorId, date, slot, old.DurationMinutes, old.Id, ct);

        try
        {
            await db.InTransactionAsync(async tx =>
            {
                var moved = await tx.ExecuteAsync(MoveSql, new { id = old.Id, patientId = user.Id, seen = old.UpdatedAt, date, time = slot.ToTimeSpan() });
                if (moved != 1)
                    throw new BusinessRuleException("This appointment was changed in the meantime. Please look at it again and retry.");
                await audit.WriteAsync(tx, "appointment_rescheduled", "appointments", old.Id,
                    new { Date = old.AppointmentDate, Time = old.AppointmentTime, old.Status },
                    new { Date = date, Time = slot, Status = "scheduled" });
                await NotifyDoctorAsync(tx, old.DoctorId, old.Id, "Appointment rescheduled",
                    $"{user.Name} moved the {old.Type.ToLowerInvariant()} on {When(old.AppointmentDate, old.AppointmentTime)} to {When(date, slot)}. Please confirm the new time.");
                await TellPatientAsync(tx, old.Id, NoticeKinds.AppointmentRescheduled);
            }, ct: ct);
        }
        catch (PostgresException e) when (IsSlotTaken(e))
        {
            throw new SlotTakenException();
        }
    }

    /// <summary>Cancels one of the signed-in patient's upcoming appointments and tells the doctor.</summary>
    /// <exception cref="AccessDeniedException">It is not the patient's appointment (or does not exist).</exception>
    /// <exception cref="BusinessRuleException">No reason given, or it can no longer be cancelled.</exception>
    public async Task CancelAsync(int appointmentId, string? reason, CancellationToken ct = default)
    {
        var user = await currentUser.RequireAsync(Roles.Patient);
        if (CancelReason.Error(reason) is { } error)
            throw new BusinessRuleException(error);
        reason = reason!.Trim();

        await db.InTransactionAsync(async tx =>
        {
            var appointment = await tx.QueryOneAsync<PatientAppointment>(OneSql, new { id = appointmentId, patientId = user.Id })
                ?? throw new AccessDeniedException("That appointment was not found among yours.");
            if (!appointment.IsLive || appointment.StartsAt <= Now)
                throw new BusinessRuleException("Only an upcoming appointment that has not started can be cancelled.");
            await tx.ExecuteAsync(CancelSql, new { id = appointmentId, patientId = user.Id, reason });
            await audit.WriteAsync(tx, "appointment_cancel", "appointments", appointmentId,
                new { appointment.Status }, new { Status = "cancelled", written = new[] { "cancellationReason" } });
            await NotifyDoctorAsync(tx, appointment.DoctorId, appointmentId, "Appointment cancelled",
                $"{user.Name} cancelled the {appointment.Type.ToLowerInvariant()} on {When(appointment.AppointmentDate, appointment.AppointmentTime)}: {reason}");
            await TellPatientAsync(tx, appointmentId, NoticeKinds.AppointmentCancelled);
        }, ct: ct);
    }

    /// <summary>The patient's own appointment, provided it is upcoming and scheduled or confirmed.</summary>
    async Task<MovableAppointment> MovableAsync(int patientId, int appointmentId, CancellationToken ct)
    {
        var appointment = await db.QueryOneAsync<MovableAppointment>(MovableSql, new { id = appointmentId, patientId }, ct)
            ?? throw new AccessDeniedException("That appointment was not found among yours.");
        if (appointment.Status is not ("scheduled" or "confirmed") || appointment.AppointmentDate.ToDateTime(appointment.AppointmentTime) <= Now)
            throw new BusinessRuleException("Only an upcoming scheduled or confirmed appointment can be rescheduled.");
        return appointment;
    }

    /// <summary>The in-app notification a doctor gets when a patient books, moves or cancels, in that change's transaction.</summary>
    static Task NotifyDoctorAsync(DbTransactionScope tx, int doctorId, int appointmentId, string title, string message) =>
        InAppNotification.SendAsync(tx, doctorId, title, message, new { appointmentId });

    /// <summary>The patient's confirmation (with its calendar invite) and reminders, when email or SMS is on.</summary>
    Task TellPatientAsync(DbTransactionScope tx, int appointmentId, string kind) =>
        notices?.AppointmentChangedAsync(tx, appointmentId, kind) ?? Task.CompletedTask;

    static string When(DateOnly date, TimeOnly at) => $"{date:ddd d MMM yyyy} at {at:HH\\:mm}";

    static bool IsSlotTaken(PostgresException e) => e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == SlotIndex;

    async Task<BookableDoctor> RequireDoctorAsync(int doctorId, CancellationToken ct) =>
        (await db.QueryListAsync<BookableDoctor>(DoctorsSql, ct: ct)).FirstOrDefault(d => d.Id == doctorId)
        ?? throw new BusinessRuleException("Pick a doctor from the list.");
}

/// <summary>What a move needs to know about the appointment, with <c>updated_at</c> for the optimistic check.</summary>
sealed record MovableAppointment(int Id, int DoctorId, DateOnly AppointmentDate, TimeOnly AppointmentTime, int DurationMinutes, string Type, string Status, DateTime UpdatedAt);
