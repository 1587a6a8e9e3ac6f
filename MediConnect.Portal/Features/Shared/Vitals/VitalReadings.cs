using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Shared.Vitals;

/// <summary>One row of <c>vital_signs</c>: any measure may be missing (a device records only some).</summary>
public sealed record VitalReading(
    int Id,
    DateTime RecordedAt,
    int? HeartRate,
    string? BloodPressure,
    decimal? Temperature,
    int? OxygenSaturation,
    int? RespiratoryRate,
    decimal? Weight,
    decimal? Height,
    int? GlucoseLevel,
    string DeviceSource,
    string? Notes)
{
    /// <summary>The reading's value for <paramref name="measure"/>, or null when it was not taken.</summary>
    public decimal? ValueOf(VitalMeasure measure) => measure switch
    {
        VitalMeasure.HeartRate => HeartRate,
        VitalMeasure.Systolic => Vitals.BloodPressure.TryParse(BloodPressure, out var bp) ? bp.Systolic : null,
        VitalMeasure.Diastolic => Vitals.BloodPressure.TryParse(BloodPressure, out var bp) ? bp.Diastolic : null,
        VitalMeasure.Temperature => Temperature,
        VitalMeasure.OxygenSaturation => OxygenSaturation,
        VitalMeasure.RespiratoryRate => RespiratoryRate,
        VitalMeasure.GlucoseLevel => GlucoseLevel,
        VitalMeasure.Weight => Weight,
        VitalMeasure.Height => Height,
        _ => null,
    };

    /// <summary>How the measure compares with its normal band (<see cref="VitalRanges"/>), or null when not taken.</summary>
    public VitalFlag? FlagOf(VitalMeasure measure) =>
        ValueOf(measure) is { } value ? VitalRanges.For(measure).Classify(value) : null;

    /// <summary>The measures of this reading outside their normal band.</summary>
    public IReadOnlyList<(VitalRange Range, decimal Value, VitalFlag Flag)> OutOfRange =>
    [
        .. VitalRanges.All
            .Select(r => (Range: r, Value: ValueOf(r.Measure)))
            .Where(x => x.Value is not null)
            .Select(x => (x.Range, Value: x.Value!.Value, Flag: x.Range.Classify(x.Value!.Value)))
            .Where(x => x.Flag != VitalFlag.Normal),
    ];

    public bool IsOutOfRange => OutOfRange.Count > 0;
}

/// <summary>
/// Reads one patient's vital-sign readings for the doctor's chart and the patient's own pages.
/// The patient is named by <c>users.id</c>; a patient reads only their own readings, a doctor
/// only a linked patient's (<see cref="CareTeam"/>); admins never read clinical data.
/// A patient's own readings come from the primary, so a reading they just saved shows at once;
/// a doctor's view of them may lag a moment (the standby, when there is one).
/// </summary>
public sealed class VitalsReader(NpgsqlDataSource db, LagTolerantReads reads, ICurrentUser currentUser, CareTeam careTeam)
{
    /// <summary>Vital-sign readings are keyed by <c>patients.id</c>; pages name the patient by <c>users.id</c>.</summary>
    const string PatientReadingsSql = """
        SELECT v.id, v.recorded_at, v.heart_rate, v.blood_pressure, v.temperature, v.oxygen_saturation,
               v.respiratory_rate, v.weight, v.height, v.glucose_level, v.device_source, v.notes
        FROM vital_signs v
        JOIN patients p ON p.id = v.patient_id
        WHERE p.user_id = @patientUserId
        """;

    /// <summary>Readings recorded in [<paramref name="sinceUtc"/>, <paramref name="untilUtc"/>] (either open), newest first.</summary>
    /// <exception cref="AccessDeniedException">Not the patient and not one of their doctors.</exception>
    public async Task<IReadOnlyList<VitalReading>> ReadingsAsync(int patientUserId, DateTime? sinceUtc = null, DateTime? untilUtc = null, CancellationToken ct = default)
    {
        var own = await RequireAccessAsync(patientUserId, ct);
        const string sql = $"""
            {PatientReadingsSql}
              AND (@sinceUtc::timestamptz IS NULL OR v.recorded_at >= @sinceUtc)
              AND (@untilUtc::timestamptz IS NULL OR v.recorded_at <= @untilUtc)
            ORDER BY v.recorded_at DESC, v.id DESC
            """;
        var args = new { patientUserId, sinceUtc = Utc(sinceUtc), untilUtc = Utc(untilUtc) };
        return own ? await db.QueryListAsync<VitalReading>(sql, args, ct) : await reads.QueryListAsync<VitalReading>(sql, args, ct);
    }

    /// <summary>The newest reading, or null when the patient has none.</summary>
    public async Task<VitalReading?> LatestAsync(int patientUserId, CancellationToken ct = default)
    {
        var own = await RequireAccessAsync(patientUserId, ct);
        const string sql = $"""
            {PatientReadingsSql}
            ORDER BY v.recorded_at DESC, v.id DESC
            LIMIT 1
            """;
        return own ? await db.QueryOneAsync<VitalReading>(sql, new { patientUserId }, ct) : await reads.QueryOneAsync<VitalReading>(sql, new { patientUserId }, ct);
    }

    /// <summary>Returns true when the patient reads their own readings, false for one of their doctors.</summary>
    async Task<bool> RequireAccessAsync(int patientUserId, CancellationToken ct)
    {
        var user = await currentUser.RequireAsync(Roles.Doctor, Roles.Patient);
        var allowed = user.IsPatient
            ? user.Id == patientUserId
            : await careTeam.AreLinkedAsync(user.Id, patientUserId, ct);
        if (!allowed)
            throw new AccessDeniedException();
        return user.IsPatient;
    }

    static DateTime? Utc(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v.ToUniversalTime(), DateTimeKind.Utc) : null;
}
