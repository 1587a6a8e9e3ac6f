using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Lists;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Doctor.Appointments;

/// <summary>
/// The signed-in doctor's appointments: the paged list, today's counts, the agenda, status moves
/// and visit notes. Every method reads the doctor from the sign-in and touches only their rows.
/// </summary>
public sealed class DoctorAppointments(NpgsqlDataSource db, ICurrentUser currentUser, AuditLog audit, TimeProvider clock)
{
    const int MaxPageSize = 200;

    public static readonly TextField VisitNotes = new("Visit notes", 4000, TextKind.Lines);

    // Upcoming reads the view; past and all read the table with the same columns.
    const string UpcomingSource = """
        SELECT id, patient_id, patient_name, patient_email, appointment_date, appointment_time, duration_minutes,
               type, reason, status, notes, NULL::text AS cancellation_reason, updated_at, doctor_id
        FROM upcoming_appointments
        """;

    const string TableSource = """
        SELECT a.id, a.patient_id, pu.name AS patient_name, pu.email AS patient_email, a.appointment_date,
               a.appointment_time, a.duration_minutes, a.type, a.reason, a.status, a.notes, a.cancellation_reason,
               a.updated_at, a.doctor_id
        FROM appointments a
        JOIN users pu ON pu.id = a.patient_id
        """;

    const string Filters = """
        WHERE doctor_id = @doctorId
          AND (@pastOnly = false OR appointment_date < @today)
          AND (@from::date IS NULL OR appointment_date >= @from)
          AND (@to::date IS NULL OR appointment_date <= @to)
          AND (cardinality(@statuses::text[]) = 0 OR status = ANY(@statuses))
          AND (@namePattern::text IS NULL OR patient_name ILIKE @namePattern)
        """;

    const string Columns = """
        SELECT id, patient_id, patient_name, patient_email, appointment_date, appointment_time, duration_minutes,
               type, reason, status, notes, cancellation_reason, updated_at
        """;

    /// <summary>One page of the doctor's appointments, filtered and sorted on the server, and the total count.</summary>
    public async Task<AppointmentPage> ListAsync(AppointmentQuery query, CancellationToken ct = default)
    {
        var doctor = await currentUser.RequireAsync(Roles.Doctor);
        var pageSize = Math.Clamp(query.PageSize, 1, MaxPageSize);
        var args = new
        {
            doctorId = doctor.Id,
            pastOnly = query.Scope == AppointmentScope.Past,
            today = Today(),
            from = query.From,
            to = query.To,
            statuses = (query.Statuses ?? []).Where(AppointmentStatus.All.Contains).ToArray(),
            namePattern = SearchText.LikePattern(query.PatientName),
            limit = pageSize,
            offset = Math.Max(0, query.Page) * pageSize,
        };
        var source = query.Scope == AppointmentScope.Upcoming ? UpcomingSource : TableSource;
        var from = $"FROM ({source}) AS appointment_rows {Filters}";

        var total = await db.QueryOneAsync<long>($"SELECT count(*) {from}", args, ct);
        var items = await db.QueryListAsync<DoctorAppointment>(
            $"{Columns} {from} ORDER BY {OrderBy(query)} LIMIT @limit OFFSET @offset", args, ct);
        return new AppointmentPage(items, (int)total);
    }

    static string OrderBy(AppointmentQuery query)
    {
        var direction = query.Descending ? "DESC" : "ASC";
        var when = $"appointment_date {direction}, appointment_time {direction}";
        return query.Sort switch
        {
            AppointmentSort.PatientName => $"patient_name {direction}, {when}, id",
            AppointmentSort.Status => $"status {direction}, {when}, id",
            AppointmentSort.Type => $"type {direction}, {when}, id",
            _ => $"{when}, id {direction}",
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
            {Columns}
            FROM ({TableSource}) AS appointment_rows
            WHERE doctor_id = @doctorId AND appointment_date BETWEEN @from AND @to
            ORDER BY appointment_date, appointment_time, id
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
        {Columns}
        FROM ({TableSource}) AS appointment_rows
        WHERE id = @appointmentId AND doctor_id = @doctorId
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
            await audit.WriteAsync(tx, "appointment_status_change", "appointment", appointmentId,
                new { status = current.Status, current.CancellationReason },
                new { status = toStatus, cancellationReason = trimmedReason ?? current.CancellationReason });
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
            await audit.WriteAsync(tx, "appointment_notes_update", "appointment", appointmentId,
                new { notes = current.Notes }, new { notes = text });
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
