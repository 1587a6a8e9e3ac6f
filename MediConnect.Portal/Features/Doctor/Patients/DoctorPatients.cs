using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Lists;
using MediConnect.Portal.Features.Shared.ProblemList;
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
    sealed record PatientRow(
        int UserId, string Name, string Email, int? Age, string? Allergies, string? Conditions, DateOnly? LastVisit, DateTime? NextVisit,
        int? VitalsId, DateTime? RecordedAt, int? HeartRate, string? BloodPressure, decimal? Temperature, int? OxygenSaturation,
        int? RespiratoryRate, decimal? Weight, decimal? Height, int? GlucoseLevel, string? DeviceSource, string? Notes)
    {
        public MyPatient ToPatient() => new(UserId, Name, Email, Age, Allergies, Conditions, LastVisit, NextVisit,
            VitalsId is { } id
                ? new VitalReading(id, RecordedAt!.Value, HeartRate, BloodPressure, Temperature, OxygenSaturation, RespiratoryRate,
                    Weight, Height, GlucoseLevel, DeviceSource!, Notes)
                : null);
    }

    // One pass over the doctor's appointments and prescriptions (index-only) gives every patient and
    // their last and next visit; each patient's profile and newest reading are index probes. OFFSET 0
    // keeps the planner from joining the profiles by reading all 100,000 of a clinic chain's patients.
    const string PatientsSql = $"""
        WITH links AS (
            SELECT patient_id,
                   max(appointment_date) FILTER (WHERE status = 'completed') AS last_visit,
                   min(appointment_date + appointment_time)
                       FILTER (WHERE appointment_date >= @today AND status IN ('scheduled', 'confirmed', 'in_progress')) AS next_visit
            FROM (
                SELECT patient_id, appointment_date, appointment_time, status FROM appointments WHERE doctor_id = @doctorId
                UNION ALL
                SELECT patient_id, NULL::date, NULL::time, NULL::text FROM prescriptions WHERE doctor_id = @doctorId
            ) AS link
            GROUP BY patient_id
        )
        SELECT ps.user_id, ps.name, ps.email, ps.age, ps.allergies, ps.conditions, links.last_visit, links.next_visit,
               latest.id AS vitals_id, latest.recorded_at, latest.heart_rate, latest.blood_pressure, latest.temperature,
               latest.oxygen_saturation, latest.respiratory_rate, latest.weight, latest.height, latest.glucose_level,
               latest.device_source, latest.notes
        FROM links
        CROSS JOIN LATERAL (
            SELECT s.patient_id, s.user_id, s.name, s.email, s.age,
                   {ProblemListSql.ActiveAllergies} AS allergies, {ProblemListSql.ActiveProblems} AS conditions
            FROM patient_summary s
            WHERE s.user_id = links.patient_id
            OFFSET 0
        ) AS ps
        LEFT JOIN LATERAL (
            SELECT v.id, v.recorded_at, v.heart_rate, v.blood_pressure, v.temperature, v.oxygen_saturation,
                   v.respiratory_rate, v.weight, v.height, v.glucose_level, v.device_source, v.notes
            FROM vital_signs v
            WHERE v.patient_id = ps.patient_id
            ORDER BY v.recorded_at DESC, v.id DESC
            LIMIT 1
        ) AS latest ON true
        WHERE @pattern::text IS NULL OR ps.name ILIKE @pattern OR ps.email ILIKE @pattern
        ORDER BY ps.name, ps.user_id
        """;

    /// <summary>The doctor's patients whose name or email contains <paramref name="search"/> (all when empty), by name, with their newest reading.</summary>
    public async Task<IReadOnlyList<MyPatient>> ListAsync(string? search = null, CancellationToken ct = default)
    {
        var doctor = await currentUser.RequireAsync(Roles.Doctor);
        var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        var rows = await reads.QueryListAsync<PatientRow>(PatientsSql,
            new { doctorId = doctor.Id, today, pattern = SearchText.LikePattern(search) }, ct);
        return [.. rows.Select(r => r.ToPatient())];
    }
}
