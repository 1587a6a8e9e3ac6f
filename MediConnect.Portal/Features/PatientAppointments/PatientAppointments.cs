using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.PatientAppointments;

public sealed record BookableDoctor(int Id, string Name, string? Specialization);

public sealed record PatientAppointment(
    int Id,
    int DoctorId,
    string DoctorName,
    string? DoctorSpecialization,
    DateOnly AppointmentDate,
    TimeOnly AppointmentTime,
    int DurationMinutes,
    string Type,
    string? Reason,
    string Status,
    string? CancellationReason)
{
    public DateTime StartsAt => AppointmentDate.ToDateTime(AppointmentTime);

    /// <summary>Still to happen and still changeable by the patient.</summary>
    public bool IsLive => Status is "scheduled" or "confirmed";
}

public sealed record MyAppointments(IReadOnlyList<PatientAppointment> Upcoming, IReadOnlyList<PatientAppointment> Past);

public sealed record BookingRequest(int DoctorId, DateOnly? Date, TimeOnly? Time, string? Type, string? Reason);

/// <summary>The slot a patient asked for is gone (someone else booked it first); the page shows fresh slots.</summary>
public sealed class SlotTakenException() : Exception("That time was just taken by someone else. Please pick another of the free times below.");

/// <summary>
/// A patient's own appointments: list, book a free 30-minute slot with a doctor, cancel. The
/// unique index <c>appointments_doctor_slot_live_key</c> decides who gets a slot two people race for.
/// </summary>
public sealed class PatientAppointmentService(NpgsqlDataSource db, ICurrentUser currentUser, AuditLog audit, TimeProvider time)
{
    public const int SlotMinutes = 30;
    public const int ReasonMaxLength = 500;
    public static readonly TimeOnly OpensAt = new(9, 0);
    public static readonly TimeOnly ClosesAt = new(17, 0);
    public static readonly IReadOnlyList<string> Types = ["Consultation", "Follow-up", "Annual Physical", "Diagnostic", "Vaccination"];

    const string SlotIndex = "appointments_doctor_slot_live_key";

    const string DoctorsSql = """
        SELECT id, name, specialization
        FROM users
        WHERE role = 'doctor' AND is_active
        ORDER BY specialization, name
        """;

    const string MineSql = """
        SELECT a.id, a.doctor_id, d.name AS doctor_name, d.specialization AS doctor_specialization,
               a.appointment_date, a.appointment_time, a.duration_minutes, a.type, a.reason, a.status,
               a.cancellation_reason
        FROM appointments a
        JOIN users d ON d.id = a.doctor_id
        WHERE a.patient_id = @patientId
        ORDER BY a.appointment_date, a.appointment_time
        """;

    const string BusySql = """
        SELECT appointment_time, duration_minutes
        FROM appointments
        WHERE doctor_id = @doctorId AND appointment_date = @date AND status NOT IN ('cancelled', 'no_show')
        """;

    const string PatientBusySql = """
        SELECT EXISTS (
            SELECT 1 FROM appointments
            WHERE patient_id = @patientId AND appointment_date = @date AND status NOT IN ('cancelled', 'no_show')
              AND appointment_time < @endsAt
              AND appointment_time + make_interval(mins => duration_minutes) > @startsAt)
        """;

    const string InsertSql = """
        INSERT INTO appointments (patient_id, doctor_id, appointment_date, appointment_time, duration_minutes, type, reason, status)
        VALUES (@PatientId, @DoctorId, @Date, @Time, @DurationMinutes, @Type, @Reason, 'scheduled')
        RETURNING id
        """;

    const string NotifySql = """
        INSERT INTO notifications (user_id, type, title, message, data, status, sent_at)
        VALUES (@UserId, 'in_app', @Title, @Message, @Data::jsonb, 'sent', now())
        """;

    const string OneSql = """
        SELECT a.id, a.doctor_id, d.name AS doctor_name, d.specialization AS doctor_specialization,
               a.appointment_date, a.appointment_time, a.duration_minutes, a.type, a.reason, a.status,
               a.cancellation_reason
        FROM appointments a
        JOIN users d ON d.id = a.doctor_id
        WHERE a.id = @id AND a.patient_id = @patientId
        FOR UPDATE OF a
        """;

    const string CancelSql = """
        UPDATE appointments SET status = 'cancelled', cancellation_reason = @reason
        WHERE id = @id AND patient_id = @patientId
        """;

    /// <summary>Today at the clinic.</summary>
    DateOnly Today => DateOnly.FromDateTime(time.GetLocalNow().DateTime);

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
        var now = time.GetLocalNow().DateTime;
        var upcoming = all.Where(a => a.Status is "scheduled" or "confirmed" or "in_progress" && a.StartsAt.AddMinutes(a.DurationMinutes) > now).ToList();
        var past = all.Except(upcoming).OrderByDescending(a => a.StartsAt).ToList();
        return new MyAppointments(upcoming, past);
    }

    /// <summary>Why a date cannot be booked, or null when it can.</summary>
    public string? CheckDate(DateOnly? date) => date switch
    {
        null => "Pick a date.",
        { } d when d < Today => "The date is in the past. Pick today or a later day.",
        { DayOfWeek: DayOfWeek.Saturday or DayOfWeek.Sunday } => "The clinic is closed at weekends. Pick a weekday.",
        { } d when d > Today.AddDays(180) => "Appointments can be booked up to six months ahead.",
        _ => null,
    };

    /// <summary>The doctor's free 30-minute slots on a day (none for a past day, a weekend, or slots already passed today).</summary>
    /// <exception cref="BusinessRuleException">The date cannot be booked, or the doctor is unknown.</exception>
    public async Task<IReadOnlyList<TimeOnly>> FreeSlotsAsync(int doctorId, DateOnly date, CancellationToken ct = default)
    {
        await currentUser.RequireAsync(Roles.Patient);
        if (CheckDate(date) is { } problem)
            throw new BusinessRuleException(problem);
        await RequireDoctorAsync(doctorId, ct);
        var busy = await db.QueryListAsync<(TimeSpan Time, int Minutes)>(BusySql, new { doctorId, date }, ct);
        var now = time.GetLocalNow().DateTime;
        var slots = new List<TimeOnly>();
        for (var slot = OpensAt; slot < ClosesAt; slot = slot.AddMinutes(SlotMinutes))
        {
            if (date.ToDateTime(slot) <= now)
                continue;
            var start = slot.ToTimeSpan();
            var end = start + TimeSpan.FromMinutes(SlotMinutes);
            if (!busy.Any(b => b.Time < end && b.Time + TimeSpan.FromMinutes(b.Minutes) > start))
                slots.Add(slot);
        }
        return slots;
    }

    /// <summary>Books the slot for the signed-in patient and tells the doctor.</summary>
    /// <exception cref="BusinessRuleException">A rule is broken (the message says which).</exception>
    /// <exception cref="SlotTakenException">The slot is no longer free.</exception>
    public async Task<int> BookAsync(BookingRequest request, CancellationToken ct = default)
    {
        var user = await currentUser.RequireAsync(Roles.Patient);
        if (CheckDate(request.Date) is { } dateProblem)
            throw new BusinessRuleException(dateProblem);
        var date = request.Date!.Value;
        if (request.Time is not { } slot)
            throw new BusinessRuleException("Pick a time.");
        if (slot < OpensAt || slot.AddMinutes(SlotMinutes) > ClosesAt || slot.Minute % SlotMinutes != 0 || slot.Second != 0)
            throw new BusinessRuleException("Pick a time on the half hour between 09:00 and 16:30.");
        if (date.ToDateTime(slot) <= time.GetLocalNow().DateTime)
            throw new BusinessRuleException("That time has already passed. Pick a later time.");
        var type = request.Type?.Trim();
        if (type is null || !Types.Contains(type))
            throw new BusinessRuleException("Pick the type of appointment.");
        var reason = request.Reason?.Trim();
        if (string.IsNullOrEmpty(reason))
            throw new BusinessRuleException("Say briefly why you would like to see the doctor.");
        if (reason.Length > ReasonMaxLength)
            throw new BusinessRuleException($"The reason can be at most {ReasonMaxLength} characters.");
        var doctor = await RequireDoctorAsync(request.DoctorId, ct);

        var free = await FreeSlotsAsync(doctor.Id, date, ct);
        if (!free.Contains(slot))
            throw new SlotTakenException();
        var startsAt = slot.ToTimeSpan();
        if (await db.QueryOneAsync<bool>(PatientBusySql, new { patientId = user.Id, date, startsAt, endsAt = startsAt + TimeSpan.FromMinutes(SlotMinutes) }, ct))
            throw new BusinessRuleException("You already have an appointment at that time.");

        var row = new { PatientId = user.Id, DoctorId = doctor.Id, Date = date, Time = startsAt, DurationMinutes = SlotMinutes, Type = type, Reason = reason };
        try
        {
            return await db.InTransactionAsync(async tx =>
            {
                var id = await tx.InsertReturningAsync<int>(InsertSql, row);
                await audit.WriteAsync(tx, "appointment.book", "appointments", id, null, row);
                await tx.ExecuteAsync(NotifySql, new
                {
                    UserId = doctor.Id,
                    Title = "New appointment",
                    Message = $"{user.Name} booked a {type.ToLowerInvariant()} on {date:ddd d MMM yyyy} at {slot:HH\\:mm}.",
                    Data = System.Text.Json.JsonSerializer.Serialize(new { appointmentId = id }),
                });
                return id;
            }, ct: ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == SlotIndex)
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
        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason))
            throw new BusinessRuleException("Give a reason for cancelling.");
        if (reason.Length > ReasonMaxLength)
            throw new BusinessRuleException($"The reason can be at most {ReasonMaxLength} characters.");

        await db.InTransactionAsync(async tx =>
        {
            var appointment = await tx.QueryOneAsync<PatientAppointment>(OneSql, new { id = appointmentId, patientId = user.Id })
                ?? throw new AccessDeniedException("That appointment was not found among yours.");
            if (!appointment.IsLive || appointment.StartsAt <= time.GetLocalNow().DateTime)
                throw new BusinessRuleException("Only an upcoming appointment that has not started can be cancelled.");
            await tx.ExecuteAsync(CancelSql, new { id = appointmentId, patientId = user.Id, reason });
            await audit.WriteAsync(tx, "appointment.cancel", "appointments", appointmentId,
                new { appointment.Status }, new { Status = "cancelled", CancellationReason = reason });
            await tx.ExecuteAsync(NotifySql, new
            {
                UserId = appointment.DoctorId,
                Title = "Appointment cancelled",
                Message = $"{user.Name} cancelled the {appointment.Type.ToLowerInvariant()} on {appointment.AppointmentDate:ddd d MMM yyyy} at {appointment.AppointmentTime:HH\\:mm}: {reason}",
                Data = System.Text.Json.JsonSerializer.Serialize(new { appointmentId }),
            });
        }, ct: ct);
    }

    async Task<BookableDoctor> RequireDoctorAsync(int doctorId, CancellationToken ct) =>
        (await db.QueryListAsync<BookableDoctor>(DoctorsSql, ct: ct)).FirstOrDefault(d => d.Id == doctorId)
        ?? throw new BusinessRuleException("Pick a doctor from the list.");
}
