using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Lists;
using MediConnect.Portal.Features.Shared.Notifications.Delivery;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Doctor.Appointments;

/// <summary>
/// The signed-in doctor's appointments: the paged list, today's counts, the agenda, status moves
/// and visit notes. Every method reads the doctor from the sign-in and touches only their rows.
/// A cancellation tells the patient by email (with the calendar invite's CANCEL) like their own does.
/// </summary>
public sealed class DoctorAppointments(NpgsqlDataSource db, ICurrentUser currentUser, AuditLog audit, TimeProvider clock, NoticeQueue? notices = null)
{
    const int MaxPageSize = 200;

    public static readonly TextField VisitNotes = new("Visit notes", 4000, TextKind.Lines);

    // The doctor's rows come from their index and the patient's name and email are looked up row by
    // row: OFFSET 0 keeps the planner from turning the lookup into a join that reads every user, which
    // it would at clinic-chain scale (100k users) for a count, a name filter or a sort by name.
    const string RowsSql = """
        SELECT a.id, a.patient_id, pu.name AS patient_name, pu.email AS patient_email, a.appointment_date,
               a.appointment_time, a.duration_minutes, a.type, a.reason, a.status, a.notes, a.cancellation_reason,
               a.updated_at
        FROM appointments a
        CROSS JOIN LATERAL (SELECT u.name, u.email FROM users u WHERE u.id = a.patient_id OFFSET 0) AS pu
        """;

    // Upcoming is what the upcoming_appointments view shows: from today on, not cancelled or completed.
    // The name filter picks the doctor's patients (a few hundred) whose name matches, once, then their rows.
    const string Filters = """
        WHERE a.doctor_id = @doctorId
          AND (@upcomingOnly = false OR (a.appointment_date >= @today AND a.status NOT IN ('cancelled', 'completed')))
          AND (@pastOnly = false OR a.appointment_date < @today)
          AND (@from::date IS NULL OR a.appointment_date >= @from)
          AND (@to::date IS NULL OR a.appointment_date <= @to)
          AND (cardinality(@statuses::text[]) = 0 OR a.status = ANY(@statuses))
          AND (@namePattern::text IS NULL OR a.patient_id = ANY (ARRAY(
                SELECT u.id FROM users u
                WHERE u.id = ANY (ARRAY(SELECT DISTINCT patient_id FROM appointments WHERE doctor_id = @doctorId))
                  AND u.name ILIKE @namePattern)))
        """;

    /// <summary>One page of the doctor's appointments, filtered and sorted on the server, and the total count.</summary>
    public async Task<AppointmentPage> ListAsync(AppointmentQuery query, CancellationToken ct = default)
    {
        var doctor = await currentUser.RequireAsync(Roles.Doctor);
        var pageSize = Math.Clamp(query.PageSize, 1, MaxPageSize);
        var args = new
        {
            doctorId = doctor.Id,
            upcomingOnly = query.Scope == AppointmentScope.Upcoming,
            pastOnly = query.Scope == AppointmentScope.Past,
            today = Today(),
            from = query.From,
            to = query.To,
            statuses = (query.Statuses ?? []).Where(AppointmentStatus.All.Contains).ToArray(),
            namePattern = SearchText.LikePattern(query.PatientName),
            limit = pageSize,
            offset = Math.Max(0, query.Page) * pageSize,
        };
        var total = await db.QueryOneAsync<long>($"SELECT count(*) FROM appointments a {Filters}", args, ct);
        var items = await db.QueryListAsync<DoctorAppointment>(
            $"{RowsSql} {Filters} ORDER BY {OrderBy(query)} LIMIT @limit OFFSET @offset", args, ct);
        return new AppointmentPage(items, (int)total);
    }

    static string OrderBy(AppointmentQuery query)
    {
        var direction = query.Descending ? "DESC" : "ASC";
        var when = $"a.appointment_date {direction}, a.appointment_time {direction}";
        return query.Sort switch
        {
            AppointmentSort.PatientName => $"pu.name {direction}, {when}, a.id",
            AppointmentSort.Status => $"a.status {direction}, {when}, a.id",
            AppointmentSort.Type => $"a.type {direction}, {when}, a.id",
            _ => $"{when}, a.id {direction}",
        };
    }

    /// <summary>How many of today's appointments are in each status (every status present, zero when none).</summary>
    public async Task<IReadOnlyList<StatusCount>> TodayCountsAsync(CancellationToken ct = default)
    {
        var doctor = await currentUser.RequireAsync(Roles.Doctor);
        const string sql = """
            SELECT status, count(*) AS count
            FROM appointments
            WHERE doctor_id = @doctorId AND appointment_date = @today
            GROUP BY status
            """;
        var counts = (await db.QueryListAsync<StatusCount>(sql, new { doctorId = doctor.Id, today = Today() }, ct))
            .ToDictionary(c => c.Status, c => c.Count);
        return [.. AppointmentStatus.All.Select(s => new StatusCount(s, counts.GetValueOrDefault(s)))];
    }

    /// <summary>Every appointment of the doctor between two dates (inclusive), for the agenda.</summary>
    public async Task<IReadOnlyList<DoctorAppointment>> AgendaAsync(DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        var doctor = await currentUser.RequireAsync(Roles.Doctor);
        if (to < from || to.DayNumber - from.DayNumber > 31)
            throw new BusinessRuleException("The agenda shows at most a month at a time.");
        const string sql = $"""
            {RowsSql}
            WHERE a.doctor_id = @doctorId AND a.appointment_date BETWEEN @from AND @to
            ORDER BY a.appointment_date, a.appointment_time, a.id
            """;
        return await db.QueryListAsync<DoctorAppointment>(sql, new { doctorId = doctor.Id, from, to }, ct);
    }

    /// <summary>One of the doctor's appointments.</summary>
    /// <exception cref="AccessDeniedException">Not one of this doctor's appointments.</exception>
    public async Task<DoctorAppointment> GetAsync(int appointmentId, CancellationToken ct = default)
    {
        var doctor = await currentUser.RequireAsync(Roles.Doctor);
        return await db.QueryOneAsync<DoctorAppointment>(OneSql, new { appointmentId, doctorId = doctor.Id }, ct)
            ?? throw new AccessDeniedException("This appointment is not on your list.");
    }

    const string OneSql = $"""
        {RowsSql}
        WHERE a.id = @appointmentId AND a.doctor_id = @doctorId
        """;

    /// <summary>
    /// Moves the appointment to <paramref name="toStatus"/> when the workflow allows it and nobody
    /// changed it since <paramref name="expectedUpdatedAt"/>; writes the audit row in the same transaction.
    /// </summary>
    /// <exception cref="AppointmentChangedException">Changed since loaded; nothing written.</exception>
    /// <exception cref="BusinessRuleException">The move is not allowed.</exception>
    public async Task<DoctorAppointment> MoveAsync(int appointmentId, string toStatus, DateTime expectedUpdatedAt, string? reason = null, CancellationToken ct = default)
    {
        var doctor = await currentUser.RequireAsync(Roles.Doctor);
        const string update = """
            UPDATE appointments
            SET status = @toStatus,
                cancellation_reason = CASE WHEN @toStatus = 'cancelled' THEN @reason ELSE cancellation_reason END
            WHERE id = @appointmentId
            """;
        return await db.InTransactionAsync(async tx =>
        {
            var current = await LockAsync(tx, appointmentId, doctor.Id, expectedUpdatedAt);
            AppointmentWorkflow.Require(current.Status, toStatus, current.SlotStart, clock.GetLocalNow().DateTime, reason);
            var trimmedReason = toStatus == AppointmentStatus.Cancelled ? reason!.Trim() : null;
            await tx.ExecuteAsync(update, new { appointmentId, toStatus, reason = trimmedReason });
            // The status transition, and the reason's field name, never its text (see AuditLog).
            await audit.WriteAsync(tx, "appointment_status_change", "appointment", appointmentId,
                new { status = current.Status },
                new { status = toStatus, written = AuditLog.Written(new { cancellationReason = trimmedReason }) });
            if (toStatus == AppointmentStatus.Cancelled && notices is not null)
                await notices.AppointmentChangedAsync(tx, appointmentId, NoticeKinds.AppointmentCancelled);
            return (await tx.QueryOneAsync<DoctorAppointment>(OneSql, new { appointmentId, doctorId = doctor.Id }))!;
        }, ct: ct);
    }

    /// <summary>Saves the visit notes of one of the doctor's appointments (same concurrency rule as status moves).</summary>
    public async Task<DoctorAppointment> SaveNotesAsync(int appointmentId, string? notes, DateTime expectedUpdatedAt, CancellationToken ct = default)
    {
        var doctor = await currentUser.RequireAsync(Roles.Doctor);
        if (VisitNotes.Error(notes) is { } error)
            throw new BusinessRuleException(error);
        var text = TextField.Clean(notes);
        return await db.InTransactionAsync(async tx =>
        {
            var current = await LockAsync(tx, appointmentId, doctor.Id, expectedUpdatedAt);
            await tx.ExecuteAsync("UPDATE appointments SET notes = @text WHERE id = @appointmentId", new { appointmentId, text });
            await audit.WriteAsync(tx, "appointment_notes_update", "appointment", appointmentId, null,
                new { changed = AuditLog.Changed(new { notes = current.Notes }, new { notes = text }) });
            return (await tx.QueryOneAsync<DoctorAppointment>(OneSql, new { appointmentId, doctorId = doctor.Id }))!;
        }, ct: ct);
    }

    /// <summary>Locks the doctor's appointment row for the write, and checks it is unchanged since it was loaded.</summary>
    static async Task<DoctorAppointment> LockAsync(DbTransactionScope tx, int appointmentId, int doctorId, DateTime expectedUpdatedAt)
    {
        const string lockSql = "SELECT 1 FROM appointments WHERE id = @appointmentId AND doctor_id = @doctorId FOR UPDATE";
        if (await tx.QueryOneAsync<int?>(lockSql, new { appointmentId, doctorId }) is null)
            throw new AccessDeniedException("This appointment is not on your list.");
        var current = (await tx.QueryOneAsync<DoctorAppointment>(OneSql, new { appointmentId, doctorId }))!;
        if (!SameInstant(current.UpdatedAt, expectedUpdatedAt))
            throw new AppointmentChangedException(current);
        return current;
    }

    // PostgreSQL keeps microseconds; compare at that precision whatever the DateTime kind.
    static bool SameInstant(DateTime a, DateTime b) => Math.Abs((a - b).Ticks) < 10;

    DateOnly Today() => DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
}
