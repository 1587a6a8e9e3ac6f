using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Patient.Appointments;

/// <summary>What the doctor wrote at the visit, as the patient reads it in their records.</summary>
public sealed record VisitNote(string RecordType, string? ChiefComplaint, string? Diagnosis, string? TreatmentPlan, string? Notes);

/// <summary>A medicine prescribed at the visit.</summary>
public sealed record VisitPrescription(string Medication, string Dosage, string Frequency, string? Duration, string? Instructions, string Status);

/// <summary>One completed visit for the patient to keep: the visit, its notes, what was prescribed and what comes next.</summary>
public sealed record AfterVisitSummary(
    PatientAppointment Visit,
    IReadOnlyList<VisitNote> Notes,
    IReadOnlyList<VisitPrescription> Prescriptions,
    PatientAppointment? NextAppointment);

/// <summary>The signed-in patient's after-visit summaries; each reading is audited like a record view.</summary>
public sealed class AfterVisitSummaryService(NpgsqlDataSource db, ICurrentUser currentUser, AuditLog audit, TimeProvider time)
{
    public const string ViewAction = "after_visit_summary_view";

    const string AppointmentSql = PatientAppointmentService.PatientAppointmentsSql;

    const string VisitSql = $"{AppointmentSql} AND a.id = @id";

    const string NextSql = $"""
        {AppointmentSql} AND a.status IN ('scheduled', 'confirmed') AND a.appointment_date >= @today
        ORDER BY a.appointment_date, a.appointment_time
        LIMIT 1
        """;

    const string NotesSql = """
        SELECT record_type, chief_complaint, diagnosis, treatment_plan, notes
        FROM medical_records
        WHERE patient_id = @patientId AND appointment_id = @id
        ORDER BY record_date, id
        """;

    // Linked to the visit, or written by its doctor on its day.
    const string PrescriptionsSql = """
        SELECT medication, dosage, frequency, duration, instructions, status
        FROM prescriptions
        WHERE patient_id = @patientId
          AND (appointment_id = @id OR (appointment_id IS NULL AND doctor_id = @doctorId AND prescribed_date = @day))
        ORDER BY id
        """;

    /// <exception cref="AccessDeniedException">Not the patient's appointment.</exception>
    /// <exception cref="BusinessRuleException">The visit has not been completed.</exception>
    public async Task<AfterVisitSummary> ForAsync(int appointmentId, CancellationToken ct = default)
    {
        var patient = await currentUser.RequireAsync(Roles.Patient);
        var visit = await db.QueryOneAsync<PatientAppointment>(VisitSql, new { patientId = patient.Id, id = appointmentId }, ct)
            ?? throw new AccessDeniedException("That appointment was not found among yours.");
        if (visit.Status != "completed")
            throw new BusinessRuleException("A visit summary is ready once the visit is completed.");
        var args = new { patientId = patient.Id, id = appointmentId, doctorId = visit.DoctorId, day = visit.AppointmentDate };
        var notes = await db.QueryListAsync<VisitNote>(NotesSql, args, ct);
        var prescriptions = await db.QueryListAsync<VisitPrescription>(PrescriptionsSql, args, ct);
        var today = DateOnly.FromDateTime(time.GetLocalNow().DateTime);
        var next = await db.QueryOneAsync<PatientAppointment>(NextSql, new { patientId = patient.Id, today }, ct);
        await audit.WriteAsync(db, ViewAction, "appointments", appointmentId);
        return new AfterVisitSummary(visit, notes, prescriptions, next);
    }
}
