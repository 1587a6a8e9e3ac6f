using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Doctor.Appointments;
using MediConnect.Portal.Features.Shared.Vitals;
using MediConnect.Portal.Security;

namespace MediConnect.Portal.Features.Doctor.Patients;

/// <summary>
/// "My patients": the patients the signed-in doctor has an appointment or a prescription with.
/// The list may lag a moment: it comes from the standby when there is one.
/// </summary>
public sealed class DoctorPatients(LagTolerantReads reads, ICurrentUser currentUser, TimeProvider clock)
{
    sealed record PatientRow(int UserId, string Name, string Email, int? Age, string? Allergies, string? Conditions, DateOnly? LastVisit, DateTime? NextVisit);

    sealed record LatestVitalsRow(
        int PatientUserId, int Id, DateTime RecordedAt, int? HeartRate, string? BloodPressure, decimal? Temperature,
        int? OxygenSaturation, int? RespiratoryRate, decimal? Weight, decimal? Height, int? GlucoseLevel, string DeviceSource, string? Notes)
    {
        public VitalReading ToReading() => new(Id, RecordedAt, HeartRate, BloodPressure, Temperature, OxygenSaturation,
            RespiratoryRate, Weight, Height, GlucoseLevel, DeviceSource, Notes);
    }

    /// <summary>The doctor's patients whose name or email contains <paramref name="search"/> (all when empty), by name.</summary>
    public async Task<IReadOnlyList<MyPatient>> ListAsync(string? search = null, CancellationToken ct = default)
    {
        var doctor = await currentUser.RequireAsync(Roles.Doctor);
        const string patientsSql = """
            WITH mine AS (
                SELECT patient_id FROM appointments WHERE doctor_id = @doctorId
                UNION
                SELECT patient_id FROM prescriptions WHERE doctor_id = @doctorId
            )
            SELECT ps.user_id, ps.name, ps.email, ps.age, ps.allergies, ps.conditions,
                   (SELECT max(a.appointment_date) FROM appointments a
                    WHERE a.patient_id = ps.user_id AND a.doctor_id = @doctorId AND a.status = 'completed') AS last_visit,
                   (SELECT min(a.appointment_date + a.appointment_time) FROM appointments a
                    WHERE a.patient_id = ps.user_id AND a.doctor_id = @doctorId AND a.appointment_date >= @today
                      AND a.status IN ('scheduled', 'confirmed', 'in_progress')) AS next_visit
            FROM patient_summary ps
            JOIN mine ON mine.patient_id = ps.user_id
            WHERE @pattern::text IS NULL OR ps.name ILIKE @pattern OR ps.email ILIKE @pattern
            ORDER BY ps.name, ps.user_id
            """;
        const string latestSql = """
            SELECT DISTINCT ON (p.user_id)
                   p.user_id AS patient_user_id, v.id, v.recorded_at, v.heart_rate, v.blood_pressure, v.temperature,
                   v.oxygen_saturation, v.respiratory_rate, v.weight, v.height, v.glucose_level, v.device_source, v.notes
            FROM vital_signs v
            JOIN patients p ON p.id = v.patient_id
            WHERE p.user_id = ANY(@userIds)
            ORDER BY p.user_id, v.recorded_at DESC, v.id DESC
            """;
        var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        var rows = await reads.QueryListAsync<PatientRow>(patientsSql,
            new { doctorId = doctor.Id, today, pattern = DoctorAppointments.LikePattern(search) }, ct);
        var latest = (await reads.QueryListAsync<LatestVitalsRow>(latestSql, new { userIds = rows.Select(r => r.UserId).ToArray() }, ct))
            .ToDictionary(v => v.PatientUserId, v => v.ToReading());
        return [.. rows.Select(r => new MyPatient(r.UserId, r.Name, r.Email, r.Age, r.Allergies, r.Conditions,
            r.LastVisit, r.NextVisit, latest.GetValueOrDefault(r.UserId)))];
    }
}
