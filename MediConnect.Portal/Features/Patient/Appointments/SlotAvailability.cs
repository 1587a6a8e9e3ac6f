using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Patient.Appointments;

/// <summary>Whether a doctor and a patient are free for a visit, from the appointments already in the diary.</summary>
sealed class SlotAvailability(NpgsqlDataSource db, TimeProvider time)
{
    // @movingId: the appointment being moved, which does not block its own new time.
    const string BusySql = """
        SELECT appointment_time, duration_minutes
        FROM appointments
        WHERE doctor_id = @doctorId AND appointment_date = @date AND status NOT IN ('cancelled', 'no_show')
          AND id IS DISTINCT FROM @movingId
        """;

    const string PatientBusySql = """
        SELECT EXISTS (
            SELECT 1 FROM appointments
            WHERE patient_id = @patientId AND appointment_date = @date AND status NOT IN ('cancelled', 'no_show')
              AND id IS DISTINCT FROM @movingId
              AND appointment_time < @endsAt
              AND appointment_time + make_interval(mins => duration_minutes) > @startsAt)
        """;

    // Every live visit of the doctor over the booking horizon, for the next free days at once.
    const string BusyDaysSql = """
        SELECT appointment_date, appointment_time, duration_minutes
        FROM appointments
        WHERE doctor_id = @doctorId AND appointment_date BETWEEN @from AND @to AND status NOT IN ('cancelled', 'no_show')
          AND id IS DISTINCT FROM @movingId
        """;

    DateTime Now => time.GetLocalNow().DateTime;

    /// <summary>Who must be free, for a booking and a move alike: the doctor for the whole visit, and the patient (no other visit of theirs overlapping).</summary>
    /// <exception cref="SlotTakenException">The doctor is no longer free then.</exception>
    /// <exception cref="BusinessRuleException">The patient has another appointment then.</exception>
    public async Task CheckFreeAsync(int patientId, int doctorId, DateOnly date, TimeOnly slot, int minutes, int? movingId, CancellationToken ct)
    {
        if (!(await OpenSlotsAsync(doctorId, date, minutes, movingId, ct)).Contains(slot))
            throw new SlotTakenException();
        var startsAt = slot.ToTimeSpan();
        var endsAt = startsAt + TimeSpan.FromMinutes(minutes);
        if (await db.QueryOneAsync<bool>(PatientBusySql, new { patientId, date, movingId, startsAt, endsAt }, ct))
            throw new BusinessRuleException("You already have an appointment at that time.");
    }

    /// <summary>The half hours of a day, not yet passed, where a visit of <paramref name="minutes"/> fits the doctor's diary (<paramref name="movingId"/> does not count as busy).</summary>
    public async Task<IReadOnlyList<TimeOnly>> OpenSlotsAsync(int doctorId, DateOnly date, int minutes, int? movingId, CancellationToken ct)
    {
        var busy = await db.QueryListAsync<(TimeSpan Time, int Minutes)>(BusySql, new { doctorId, date, movingId }, ct);
        return ClinicHours.OpenSlots(date, minutes, busy, Now);
    }

    /// <summary>
    /// The first <paramref name="count"/> bookable days (<see cref="ClinicHours.CheckDate"/>, from today to the
    /// booking horizon) with a free time for a visit of <paramref name="minutes"/> in the doctor's diary, each with its times.
    /// </summary>
    public async Task<IReadOnlyList<FreeDay>> OpenDaysAsync(int doctorId, int minutes, int? movingId, int count, CancellationToken ct)
    {
        var now = Now;
        var today = DateOnly.FromDateTime(now);
        var last = today.AddDays(ClinicHours.HorizonDays);
        var busy = (await db.QueryListAsync<(DateOnly Date, TimeSpan Time, int Minutes)>(
                BusyDaysSql, new { doctorId, from = today, to = last, movingId }, ct))
            .ToLookup(b => b.Date, b => (b.Time, b.Minutes));
        var days = new List<FreeDay>();
        for (var day = today; day <= last && days.Count < count; day = day.AddDays(1))
        {
            if (ClinicHours.CheckDate(day, today) is not null)
                continue;
            var slots = ClinicHours.OpenSlots(day, minutes, [.. busy[day]], now);
            if (slots.Count > 0)
                days.Add(new FreeDay(day, slots));
        }
        return days;
    }
}
