using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Vitals;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Doctor.Flags;

/// <summary>
/// The clinical flags a doctor sees beside a patient's name (appointment list, Today, chart
/// header): allergies, critical readings not yet acknowledged, and an abnormal newest reading;
/// and the acknowledgement of a critical reading by one of the patient's doctors (audited).
/// Readings are classified by <see cref="VitalReading.OutOfRange"/>, the rule of the bell and My patients.
/// </summary>
public sealed class ClinicalFlags(NpgsqlDataSource db, ICurrentUser currentUser, CareTeam careTeam, ChartAccessGuard guard, AuditLog audit, TimeProvider clock)
{
    /// <summary>How far back a reading still raises a flag.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(30);

    public const string AcknowledgeAction = "vital_sign_acknowledge";

    const string NotYours = "Only the patient's own doctors can acknowledge their readings.";

    sealed record FlagRow(
        int PatientUserId, string? Allergies, int? VitalsId, DateTime? RecordedAt, int? HeartRate, string? BloodPressure, decimal? Temperature,
        int? OxygenSaturation, int? RespiratoryRate, decimal? Weight, decimal? Height, int? GlucoseLevel, string? DeviceSource, string? Notes,
        DateTime? AcknowledgedAt, string? AcknowledgedByName)
    {
        public FlaggedReading? ToReading() => VitalsId is { } id
            ? new FlaggedReading(
                new VitalReading(id, RecordedAt!.Value, HeartRate, BloodPressure, Temperature, OxygenSaturation, RespiratoryRate, Weight, Height,
                    GlucoseLevel, DeviceSource!, Notes),
                AcknowledgedAt is { } at ? new ReadingAcknowledgement(id, AcknowledgedByName!, at) : null)
            : null;
    }

    // The active structured allergies (patient_allergies) and each patient's readings of the window, newest first, from vital_signs_patient_timeline_idx; the
    // list's patients are filtered to the doctor's care team unless the chart's guard has already decided.
    const string FlagsSql = $"""
        SELECT p.user_id AS patient_user_id,
               (SELECT string_agg(a.substance, ', ' ORDER BY a.id) FROM patient_allergies a
                WHERE a.patient_id = p.user_id AND a.status = 'active') AS allergies,
               v.id AS vitals_id, v.recorded_at, v.heart_rate, v.blood_pressure, v.temperature, v.oxygen_saturation,
               v.respiratory_rate, v.weight, v.height, v.glucose_level, v.device_source, v.notes,
               ack.acknowledged_at, au.name AS acknowledged_by_name
        FROM patients p
        LEFT JOIN LATERAL (
            SELECT v.id, v.recorded_at, v.heart_rate, v.blood_pressure, v.temperature, v.oxygen_saturation,
                   v.respiratory_rate, v.weight, v.height, v.glucose_level, v.device_source, v.notes
            FROM vital_signs v
            WHERE v.patient_id = p.id AND v.recorded_at >= @since
            ORDER BY v.recorded_at DESC, v.id DESC
            LIMIT 200
        ) AS v ON true
        LEFT JOIN vital_sign_acknowledgements ack ON ack.vital_sign_id = v.id
        LEFT JOIN users au ON au.id = ack.acknowledged_by
        WHERE p.user_id = ANY(@patientUserIds)
          AND (@accessChecked OR p.user_id IN ({CareTeam.ReadablePatientsSql}))
        ORDER BY p.user_id, v.recorded_at DESC, v.id DESC
        """;

    /// <summary>The flags of the signed-in doctor's patients among <paramref name="patientUserIds"/> (others are left out).</summary>
    public async Task<IReadOnlyDictionary<int, PatientFlags>> ForPatientsAsync(IReadOnlyCollection<int> patientUserIds, CancellationToken ct = default)
    {
        var doctor = await currentUser.RequireAsync(Roles.Doctor);
        return patientUserIds.Count == 0 ? new Dictionary<int, PatientFlags>() : await ReadAsync(doctor.Id, [.. patientUserIds.Distinct()], false, ct);
    }

    /// <summary>The flags of the chart's patient, for a doctor who may read the chart (<see cref="ChartAccessGuard"/>).</summary>
    /// <exception cref="AccessDeniedException">Not one of the patient's doctors, and no live emergency access.</exception>
    public async Task<PatientFlags> ForChartAsync(int patientUserId, CancellationToken ct = default)
    {
        var doctor = await currentUser.RequireAsync(Roles.Doctor);
        await guard.RequireReadAsync(doctor, patientUserId, "flags", ct);
        var flags = await ReadAsync(doctor.Id, [patientUserId], true, ct);
        return flags.GetValueOrDefault(patientUserId) ?? PatientFlags.None(patientUserId);
    }

    // Critical lab results of the window, under the same access rule as the readings.
    const string CriticalLabsSql = $"""
        SELECT r.id, r.patient_id AS patient_user_id, t.short_name, r.value, r.unit, t.decimals, r.flag, r.specimen_at
        FROM lab_results r
        JOIN lab_tests t ON t.loinc_code = r.loinc_code
        WHERE r.patient_id = ANY(@patientUserIds) AND r.flag IN ('critical_low', 'critical_high') AND r.specimen_at >= @since
          AND (@accessChecked OR r.patient_id IN ({CareTeam.ReadablePatientsSql}))
        ORDER BY r.specimen_at DESC, r.id DESC
        """;

    sealed record CriticalLabRow(int Id, int PatientUserId, string ShortName, decimal Value, string Unit, short Decimals, string Flag, DateTime SpecimenAt)
    {
        public CriticalLab ToFlag() => new(Id, PatientUserId, ShortName,
            Value.ToString("F" + Decimals, System.Globalization.CultureInfo.InvariantCulture), Unit, Flag, SpecimenAt);
    }

    async Task<IReadOnlyDictionary<int, PatientFlags>> ReadAsync(int doctorId, int[] patientUserIds, bool accessChecked, CancellationToken ct)
    {
        var args = new
        {
            patientUserIds,
            accessChecked,
            since = clock.GetUtcNow().UtcDateTime - Window,
            viewerId = doctorId,
            readsSelf = false,
            readsCareTeam = true,
        };
        var readings = await ReadingFlagsAsync(args, ct);
        var labs = (await db.QueryListAsync<CriticalLabRow>(CriticalLabsSql, args, ct)).Select(r => r.ToFlag()).ToLookup(l => l.PatientUserId);
        var flags = readings.ToDictionary(p => p.Key, p => p.Value with { CriticalLabs = [.. labs[p.Key]] });
        foreach (var patient in labs.Where(l => !flags.ContainsKey(l.Key)))
            flags[patient.Key] = PatientFlags.None(patient.Key) with { CriticalLabs = [.. patient] };
        return flags;
    }

    async Task<IReadOnlyDictionary<int, PatientFlags>> ReadingFlagsAsync(object args, CancellationToken ct)
    {
        var rows = await db.QueryListAsync<FlagRow>(FlagsSql, args, ct);
        return rows.GroupBy(r => r.PatientUserId).ToDictionary(g => g.Key, g => PatientFlags.From(g.Key, g.First().Allergies,
            [.. g.Select(r => r.ToReading()).OfType<FlaggedReading>()]));
    }

    sealed record ReadingRow(int PatientUserId, int Id, DateTime RecordedAt, int? HeartRate, string? BloodPressure, decimal? Temperature,
        int? OxygenSaturation, int? RespiratoryRate, decimal? Weight, decimal? Height, int? GlucoseLevel, string DeviceSource, string? Notes)
    {
        public VitalReading ToReading() => new(Id, RecordedAt, HeartRate, BloodPressure, Temperature, OxygenSaturation, RespiratoryRate,
            Weight, Height, GlucoseLevel, DeviceSource, Notes);
    }

    const string AcknowledgementSql = """
        SELECT ack.vital_sign_id, u.name AS doctor_name, ack.acknowledged_at
        FROM vital_sign_acknowledgements ack
        JOIN users u ON u.id = ack.acknowledged_by
        WHERE ack.vital_sign_id = @vitalSignId
        """;

    /// <summary>
    /// Acknowledges a critical reading as the signed-in doctor, with its audit row in one
    /// transaction. A reading already acknowledged keeps its first acknowledgement, which is returned.
    /// </summary>
    /// <exception cref="AccessDeniedException">Not one of the patient's doctors (emergency access only reads).</exception>
    /// <exception cref="BusinessRuleException">The reading is not critical.</exception>
    public async Task<ReadingAcknowledgement> AcknowledgeAsync(int vitalSignId, CancellationToken ct = default)
    {
        var doctor = await currentUser.RequireAsync(Roles.Doctor);
        const string readingSql = """
            SELECT p.user_id AS patient_user_id, v.id, v.recorded_at, v.heart_rate, v.blood_pressure, v.temperature, v.oxygen_saturation,
                   v.respiratory_rate, v.weight, v.height, v.glucose_level, v.device_source, v.notes
            FROM vital_signs v
            JOIN patients p ON p.id = v.patient_id
            WHERE v.id = @vitalSignId
            """;
        var reading = await db.QueryOneAsync<ReadingRow>(readingSql, new { vitalSignId }, ct) ?? throw new AccessDeniedException(NotYours);
        if ((await careTeam.ChartAccessAsync(doctor.Id, reading.PatientUserId, ct)).Kind != ChartAccessKind.CareTeam)
            throw new AccessDeniedException(NotYours);
        if (!new FlaggedReading(reading.ToReading(), null).IsCritical)
            throw new BusinessRuleException("This reading is not critical: there is nothing to acknowledge.");
        const string insertSql = """
            INSERT INTO vital_sign_acknowledgements (vital_sign_id, acknowledged_by, acknowledged_at)
            VALUES (@vitalSignId, @doctorId, @now)
            ON CONFLICT (vital_sign_id) DO NOTHING
            RETURNING vital_sign_id
            """;
        return await db.InTransactionAsync(async tx =>
        {
            if (await tx.QueryOneAsync<int?>(insertSql, new { vitalSignId, doctorId = doctor.Id, now = clock.GetUtcNow().UtcDateTime }) is not null)
                await audit.WriteAsync(tx, AcknowledgeAction, "vital_signs", vitalSignId, null, new { patientId = reading.PatientUserId });
            return (await tx.QueryOneAsync<ReadingAcknowledgement>(AcknowledgementSql, new { vitalSignId }))!;
        }, ct: ct);
    }
}
