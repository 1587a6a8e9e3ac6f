using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Doctor.Prescriptions;
using MediConnect.Portal.Features.Doctor.Records;
using MediConnect.Portal.Features.Shared.Vitals;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Doctor.Patients;

/// <summary>A completed visit as <see cref="VisitSummaryPrint"/> reads it.</summary>
public sealed record PrintedVisit(int Id, int PatientUserId, string PatientName, DateOnly? DateOfBirth, string DoctorName,
    DateOnly AppointmentDate, TimeOnly AppointmentTime, string Type, string? Reason, string Status);

/// <summary>The next booked visit with the clinic, for the summary's follow-up.</summary>
public sealed record FollowUpVisit(DateOnly AppointmentDate, TimeOnly AppointmentTime, string Type, string DoctorName);

/// <summary>
/// What a patient takes home from a completed visit: why they came, the vital signs taken that day, the
/// patient-facing parts of the consultation note (complaint, diagnosis, plan; not the doctor's own notes),
/// what was prescribed at the visit and the next booked visit.
/// </summary>
public sealed record AfterVisitPrintout(
    PrintedVisit Visit,
    IReadOnlyList<VitalReading> Vitals,
    IReadOnlyList<MedicalRecordRow> Notes,
    IReadOnlyList<PrescriptionRow> Prescriptions,
    FollowUpVisit? FollowUp);

/// <summary>
/// A doctor prints a patient's after-visit summary. The same access as the chart (the patient's care team;
/// not printed under emergency access), and the reading is audited as a chart read (<c>chart_view</c> of the
/// patient, with the part and the visit).
/// </summary>
public sealed class VisitSummaryPrint(NpgsqlDataSource db, ICurrentUser currentUser, ChartAccessGuard guard, AuditLog audit,
    VitalsReader vitals, TimeProvider time)
{
    public const string Part = "after_visit_summary";

    /// <exception cref="AccessDeniedException">No such visit, or not one of the doctor's patients (or only under emergency access).</exception>
    /// <exception cref="BusinessRuleException">The visit has not been completed.</exception>
    public async Task<AfterVisitPrintout> ForAsync(int appointmentId, CancellationToken ct = default)
    {
        var doctor = await currentUser.RequireAsync(Roles.Doctor);
        const string visitSql = """
            SELECT a.id, a.patient_id AS patient_user_id, pu.name AS patient_name, p.date_of_birth, du.name AS doctor_name,
                   a.appointment_date, a.appointment_time, a.type, a.reason, a.status
            FROM appointments a
            JOIN users pu ON pu.id = a.patient_id
            JOIN users du ON du.id = a.doctor_id
            LEFT JOIN patients p ON p.user_id = a.patient_id
            WHERE a.id = @appointmentId
            """;
        var visit = await db.QueryOneAsync<PrintedVisit>(visitSql, new { appointmentId }, ct)
            ?? throw new AccessDeniedException("That visit was not found.");
        var access = await guard.RequireReadAsync(doctor, visit.PatientUserId, Part, ct);
        if (access.Kind != ChartAccessKind.CareTeam)
            throw new AccessDeniedException("Under emergency access the chart can be read, not printed.");
        if (visit.Status != "completed")
            throw new BusinessRuleException("An after-visit summary can be printed once the visit is completed.");

        var args = new { patientUserId = visit.PatientUserId, appointmentId, day = visit.AppointmentDate, today = Today };
        const string notesSql = $"""
            {MedicalRecordRow.SelectSql}
            WHERE mr.patient_id = @patientUserId AND mr.appointment_id = @appointmentId
            ORDER BY mr.record_date, mr.id
            """;
        // Linked to the visit, or written by its doctor on its day without a link.
        const string prescriptionsSql = $"""
            {PrescriptionRow.SelectSql}
            WHERE rx.patient_id = @patientUserId
              AND (rx.appointment_id = @appointmentId
                   OR (rx.appointment_id IS NULL AND rx.prescribed_date = @day
                       AND rx.doctor_id = (SELECT doctor_id FROM appointments WHERE id = @appointmentId)))
            ORDER BY rx.id
            """;
        const string followUpSql = """
            SELECT a.appointment_date, a.appointment_time, a.type, du.name AS doctor_name
            FROM appointments a JOIN users du ON du.id = a.doctor_id
            WHERE a.patient_id = @patientUserId AND a.status IN ('scheduled', 'confirmed') AND a.appointment_date >= @today
            ORDER BY a.appointment_date, a.appointment_time
            LIMIT 1
            """;
        var notes = await db.QueryListAsync<MedicalRecordRow>(notesSql, args, ct);
        var prescriptions = await db.QueryListAsync<PrescriptionRow>(prescriptionsSql, args, ct);
        var followUp = await db.QueryOneAsync<FollowUpVisit>(followUpSql, args, ct);
        var (dayStart, dayEnd) = (DayStart(visit.AppointmentDate), DayStart(visit.AppointmentDate.AddDays(1)));
        var readings = await vitals.ReadingsAsync(visit.PatientUserId, dayStart, dayEnd.AddTicks(-1), ct: ct);
        await audit.WriteAsync(db, PatientChart.ViewAction, "patient", visit.PatientUserId, new { part = Part, appointmentId });
        return new AfterVisitPrintout(visit, [.. readings.OrderBy(r => r.RecordedAt)], notes, prescriptions, followUp);
    }

    DateOnly Today => DateOnly.FromDateTime(time.GetLocalNow().DateTime);

    /// <summary>The UTC instant a day of the portal's time zone starts.</summary>
    DateTime DayStart(DateOnly day)
    {
        var midnight = day.ToDateTime(TimeOnly.MinValue);
        return DateTime.SpecifyKind(midnight - time.LocalTimeZone.GetUtcOffset(midnight), DateTimeKind.Utc);
    }
}
