using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Doctor.Prescriptions;
using MediConnect.Portal.Features.Doctor.Records;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Doctor.Patients;

/// <summary>
/// A patient's chart for one of their doctors. <see cref="OpenAsync"/> audits every opening
/// (<c>chart_view</c>) and every refusal (<c>chart_access_denied</c>); the other reads check the
/// same access without auditing again.
/// </summary>
public sealed class PatientChart(NpgsqlDataSource db, ICurrentUser currentUser, CareTeam careTeam, AuditLog audit)
{
    public const string ViewAction = "chart_view";
    public const string DeniedAction = "chart_access_denied";

    /// <summary>Opens the chart: checks access, writes the audit row, returns the summary.</summary>
    /// <exception cref="AccessDeniedException">Not a doctor linked to this patient (audited).</exception>
    public async Task<ChartSummary> OpenAsync(int patientUserId, CancellationToken ct = default)
    {
        var user = await currentUser.GetAsync() ?? throw new AccessDeniedException("Please sign in.");
        if (!user.IsDoctor || !await careTeam.AreLinkedAsync(user.Id, patientUserId, ct))
        {
            await audit.WriteAsync(db, DeniedAction, "patient", patientUserId, new { reason = user.IsDoctor ? "not a patient of this doctor" : $"role {user.Role}" });
            throw new AccessDeniedException("You do not have access to this patient's chart.");
        }
        const string sql = """
            SELECT patient_id, user_id, email, name, phone, date_of_birth, age, gender, blood_type, allergies, conditions,
                   emergency_contact_name, emergency_contact_phone, insurance_provider, insurance_member_id,
                   last_eligibility_check, address, city, state, zip_code, country
            FROM patient_summary
            WHERE user_id = @patientUserId
            """;
        var summary = await db.QueryOneAsync<ChartSummary>(sql, new { patientUserId }, ct)
            ?? throw new AccessDeniedException("This patient's chart is not available (the account is inactive).");
        await audit.WriteAsync(db, ViewAction, "patient", patientUserId);
        return summary;
    }

    /// <summary>Every prescription of the patient (any doctor), live ones first, newest first.</summary>
    public async Task<IReadOnlyList<PrescriptionRow>> PrescriptionsAsync(int patientUserId, CancellationToken ct = default)
    {
        await RequireLinkedAsync(patientUserId, ct);
        const string sql = $"""
            {PrescriptionRow.SelectSql}
            WHERE rx.patient_id = @patientUserId
            ORDER BY rx.status IN ('completed', 'cancelled'), rx.prescribed_date DESC, rx.id DESC
            """;
        return await db.QueryListAsync<PrescriptionRow>(sql, new { patientUserId }, ct);
    }

    /// <summary>Every medical record of the patient (any doctor), newest first.</summary>
    public async Task<IReadOnlyList<MedicalRecordRow>> RecordsAsync(int patientUserId, CancellationToken ct = default)
    {
        await RequireLinkedAsync(patientUserId, ct);
        const string sql = $"""
            {MedicalRecordRow.SelectSql}
            WHERE mr.patient_id = @patientUserId
            ORDER BY mr.record_date DESC, mr.id DESC
            """;
        return await db.QueryListAsync<MedicalRecordRow>(sql, new { patientUserId }, ct);
    }

    /// <summary>The patient's appointments with any doctor, newest first.</summary>
    public async Task<IReadOnlyList<ChartAppointment>> AppointmentsAsync(int patientUserId, CancellationToken ct = default)
    {
        await RequireLinkedAsync(patientUserId, ct);
        const string sql = """
            SELECT a.id, a.doctor_id, du.name AS doctor_name, a.appointment_date, a.appointment_time, a.type, a.reason,
                   a.status, a.notes, a.cancellation_reason
            FROM appointments a
            JOIN users du ON du.id = a.doctor_id
            WHERE a.patient_id = @patientUserId
            ORDER BY a.appointment_date DESC, a.appointment_time DESC, a.id DESC
            """;
        return await db.QueryListAsync<ChartAppointment>(sql, new { patientUserId }, ct);
    }

    async Task RequireLinkedAsync(int patientUserId, CancellationToken ct)
    {
        var doctor = await currentUser.RequireAsync(Roles.Doctor);
        if (!await careTeam.AreLinkedAsync(doctor.Id, patientUserId, ct))
            throw new AccessDeniedException("You do not have access to this patient's chart.");
    }
}
