using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Notifications;
using MediConnect.Portal.Features.Shared.Notifications.Delivery;
using MediConnect.Portal.Features.Shared.Vitals;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Patient.Vitals;

/// <summary>What recording a reading did: its id, the measures outside the normal band, and how many doctors were told.</summary>
public sealed record RecordedReading(int Id, DateTime RecordedAt, IReadOnlyList<VitalFinding> Findings, int DoctorsNotified)
{
    public bool IsCritical => Findings.Any(f => f.IsCritical);
}

/// <summary>
/// A patient records a vital-sign reading of their own. A critical value creates an in-app
/// notification for each of the patient's doctors, in the reading's transaction.
/// </summary>
public sealed class VitalSignsRecorder(NpgsqlDataSource db, ICurrentUser currentUser, AuditLog audit, CareTeam careTeam, TimeProvider time, NoticeQueue? notices = null)
{
    public const string ManualEntry = "Manual Entry";

    const string PatientIdSql = "SELECT id FROM patients WHERE user_id = @userId";

    const string InsertSql = """
        INSERT INTO vital_signs (patient_id, heart_rate, blood_pressure, temperature, oxygen_saturation,
                                 respiratory_rate, weight, height, glucose_level, recorded_at, recorded_by,
                                 device_source, notes)
        VALUES (@PatientId, @HeartRate, @BloodPressure, @Temperature, @OxygenSaturation,
                @RespiratoryRate, @Weight, @Height, @GlucoseLevel, @RecordedAt, @RecordedBy,
                @DeviceSource, @Notes)
        RETURNING id
        """;

    /// <exception cref="FieldValidationException">A value is impossible or no measure was given.</exception>
    /// <exception cref="AccessDeniedException">The signed-in user is not a patient.</exception>
    public async Task<RecordedReading> RecordAsync(VitalReadingInput input, CancellationToken ct = default)
    {
        var user = await currentUser.RequireAsync(Roles.Patient);
        var errors = input.Validate();
        if (errors.Count > 0)
            throw new FieldValidationException(errors);

        var patientId = await db.QueryOneAsync<int?>(PatientIdSql, new { userId = user.Id }, ct)
            ?? throw new AccessDeniedException("Your patient profile is missing; please contact the clinic.");
        var findings = input.Findings();
        var critical = findings.Where(f => f.IsCritical).ToList();
        var doctors = critical.Count > 0 ? await careTeam.DoctorsOfAsync(user.Id, ct) : [];
        var now = time.GetUtcNow().UtcDateTime;

        var row = new
        {
            PatientId = patientId,
            input.HeartRate,
            BloodPressure = input.BloodPressure?.ToString(),
            input.Temperature,
            input.OxygenSaturation,
            input.RespiratoryRate,
            input.Weight,
            input.Height,
            input.GlucoseLevel,
            RecordedAt = now,
            RecordedBy = user.Id,
            DeviceSource = ManualEntry,
            input.Notes,
        };

        var id = await db.InTransactionAsync(async tx =>
        {
            var id = await tx.InsertReturningAsync<int>(InsertSql, row);
            // Which measurements were taken, never their values or the note (see AuditLog).
            await audit.WriteAsync(tx, "vital_signs_create", "vital_signs", id, null, new
            {
                row.PatientId,
                row.DeviceSource,
                written = AuditLog.Written(new
                {
                    row.HeartRate, row.BloodPressure, row.Temperature, row.OxygenSaturation, row.RespiratoryRate,
                    row.Weight, row.Height, row.GlucoseLevel, row.Notes,
                }),
            });
            foreach (var doctorId in doctors)
            {
                await InAppNotification.SendAsync(tx, doctorId,
                    $"Critical vital sign: {user.Name}",
                    $"{user.Name} recorded a reading: {string.Join("; ", critical.Select(f => f.Describe()))}.",
                    new { patientUserId = user.Id, patientId, vitalSignId = id }, time.GetUtcNow());
                await audit.WriteAsync(tx, "notification_create", "notifications", null, null,
                    new { userId = doctorId, reason = "critical_vital_sign", vitalSignId = id });
                // By email/SMS too: that a reading waits, never the reading; at most one per patient and doctor per interval.
                if (notices is not null)
                    await notices.CriticalReadingAsync(tx, doctorId, user.Id);
            }
            return id;
        }, ct: ct);

        return new RecordedReading(id, now, findings, doctors.Count);
    }
}
