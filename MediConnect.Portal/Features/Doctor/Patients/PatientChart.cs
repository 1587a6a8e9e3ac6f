using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Doctor.Prescriptions;
using MediConnect.Portal.Features.Doctor.Records;
using MediConnect.Portal.Features.Shared.ProblemList;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Doctor.Patients;

/// <summary>
/// A patient's chart for one of their doctors, or for a doctor holding a live break-glass grant
/// (read-only). <see cref="OpenAsync"/> audits every opening (<c>chart_view</c>) and every refusal
/// (<c>chart_access_denied</c>); the other reads check the same access again, so an open page
/// stops reading the moment a grant ends. Every read under a grant, the opening included, is
/// audited as <see cref="ChartAccessGuard.EmergencyReadAction"/>.
/// </summary>
public sealed class PatientChart(NpgsqlDataSource db, ICurrentUser currentUser, CareTeam careTeam, ChartAccessGuard guard, AuditLog audit)
{
    public const string ViewAction = "chart_view";
    public const string DeniedAction = "chart_access_denied";

    /// <summary>
    /// Opens the chart: checks access, writes the audit row, returns the summary (with the end of
    /// the emergency access when that is what allows it).
    /// </summary>
    /// <exception cref="AccessDeniedException">Not a doctor linked to this patient, and no live grant (audited).</exception>
    public async Task<ChartSummary> OpenAsync(int patientUserId, CancellationToken ct = default)
    {
        var user = await currentUser.GetAsync() ?? throw new AccessDeniedException("Please sign in.");
        ChartAccess access;
        try
        {
            access = user.IsDoctor
                ? await guard.RequireReadAsync(user, patientUserId, "summary", ct)
                : throw new AccessDeniedException("You do not have access to this patient's chart.");
        }
        catch (AccessDeniedException e)
        {
            var reason = !user.IsDoctor ? $"role {user.Role}"
                : e.Message == ChartAccessGuard.EmergencyEndedMessage ? "emergency access ended"
                : "not a patient of this doctor";
            await audit.WriteAsync(db, DeniedAction, "patient", patientUserId, new { reason });
            throw;
        }
        const string sql = $"""
            SELECT s.patient_id, s.user_id, s.email, s.name, s.phone, s.date_of_birth, s.age, s.gender, s.blood_type,
                   {ProblemListSql.ActiveAllergies} AS allergies, {ProblemListSql.ActiveProblems} AS conditions,
                   s.emergency_contact_name, s.emergency_contact_phone, s.insurance_provider, s.insurance_member_id,
                   s.last_eligibility_check, s.address, s.city, s.state, s.zip_code, s.country
            FROM patient_summary s
            WHERE s.user_id = @patientUserId
            """;
        var summary = await db.QueryOneAsync<ChartSummary>(sql, new { patientUserId }, ct)
            ?? throw new AccessDeniedException("This patient's chart is not available (the account is inactive).");
        if (access.Kind == ChartAccessKind.CareTeam)
            await audit.WriteAsync(db, ViewAction, "patient", patientUserId);
        return summary with { EmergencyAccessUntil = access.EmergencyUntil };
    }

    /// <summary>The signed-in doctor's access to the chart now (nothing audited): an open page asks when a grant should have ended.</summary>
    public async Task<ChartAccess> AccessAsync(int patientUserId, CancellationToken ct = default)
    {
        var doctor = await currentUser.RequireAsync(Roles.Doctor);
        return await careTeam.ChartAccessAsync(doctor.Id, patientUserId, ct);
    }

    /// <summary>Every prescription of the patient (any doctor), live ones first, newest first.</summary>
    public async Task<IReadOnlyList<PrescriptionRow>> PrescriptionsAsync(int patientUserId, CancellationToken ct = default)
    {
        await RequireReadAsync(patientUserId, "prescriptions", ct);
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
        await RequireReadAsync(patientUserId, "records", ct);
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
        await RequireReadAsync(patientUserId, "appointments", ct);
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

    async Task RequireReadAsync(int patientUserId, string part, CancellationToken ct) =>
        await guard.RequireReadAsync(await currentUser.RequireAsync(Roles.Doctor), patientUserId, part, ct);
}
