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
/// only a linked patient's, or one they hold a live break-glass grant for (<see cref="ChartAccessGuard"/>,
/// which audits such reads); admins never read clinical data.
/// A patient's own readings come from the primary, so a reading they just saved shows at once;
/// a doctor's view of them may lag a moment (the standby, when there is one).
/// </summary>
public sealed class VitalsReader(NpgsqlDataSource db, LagTolerantReads reads, ICurrentUser currentUser, ChartAccessGuard chartAccess)
{
    /// <summary>
    /// Vital-sign readings are keyed by <c>patients.id</c>; pages name the patient by <c>users.id</c>.
    /// The patient's id is looked up first (not joined), so the readings come straight from
    /// <c>vital_signs_patient_timeline_idx</c> in its order, newest first.
    /// </summary>
    const string ThePatient = "v.patient_id = (SELECT id FROM patients WHERE user_id = @patientUserId)";

    const string PatientReadingsSql = $"""
        SELECT v.id, v.recorded_at, v.heart_rate, v.blood_pressure, v.temperature, v.oxygen_saturation,
               v.respiratory_rate, v.weight, v.height, v.glucose_level, v.device_source, v.notes
        FROM vital_signs v
        WHERE {ThePatient}
        """;

    /// <summary>Readings recorded in [<paramref name="sinceUtc"/>, <paramref name="untilUtc"/>] (either open), newest first, at most <paramref name="limit"/>.</summary>
    /// <exception cref="AccessDeniedException">Not the patient and not one of their doctors.</exception>
    public async Task<IReadOnlyList<VitalReading>> ReadingsAsync(int patientUserId, DateTime? sinceUtc = null, DateTime? untilUtc = null,
        int? limit = null, CancellationToken ct = default)
    {
        var own = await RequireAccessAsync(patientUserId, ct);
        const string sql = $"""
            {PatientReadingsSql}
              AND (@sinceUtc::timestamptz IS NULL OR v.recorded_at >= @sinceUtc)
              AND (@untilUtc::timestamptz IS NULL OR v.recorded_at <= @untilUtc)
            ORDER BY v.recorded_at DESC, v.id DESC
            LIMIT @limit
            """;
        var args = new { patientUserId, sinceUtc = Utc(sinceUtc), untilUtc = Utc(untilUtc), limit };
        return own ? await db.QueryListAsync<VitalReading>(sql, args, ct) : await reads.QueryListAsync<VitalReading>(sql, args, ct);
    }

    /// <summary>
    /// The readings since <paramref name="sinceUtc"/> for the trend charts: each measure's lowest and
    /// highest value per time bucket (<see cref="VitalTrend.BucketFor"/>), summed up in the database,
    /// so a year of a watch's readings (1,460) comes back as at most two points a day.
    /// </summary>
    /// <exception cref="AccessDeniedException">Not the patient and not one of their doctors.</exception>
    public async Task<VitalTrend> TrendAsync(int patientUserId, DateTime sinceUtc, DateTime nowUtc, CancellationToken ct = default)
    {
        var own = await RequireAccessAsync(patientUserId, ct);
        const string sql = $"""
            SELECT date_bin(@bucket, v.recorded_at, TIMESTAMPTZ '2000-01-01 00:00Z') AS bucket_start, count(*)::int AS readings,
                   min(v.heart_rate) AS heart_rate_min, max(v.heart_rate) AS heart_rate_max,
                   min(split_part(v.blood_pressure, '/', 1)::int) AS systolic_min, max(split_part(v.blood_pressure, '/', 1)::int) AS systolic_max,
                   min(split_part(v.blood_pressure, '/', 2)::int) AS diastolic_min, max(split_part(v.blood_pressure, '/', 2)::int) AS diastolic_max,
                   min(v.temperature) AS temperature_min, max(v.temperature) AS temperature_max,
                   min(v.oxygen_saturation) AS oxygen_saturation_min, max(v.oxygen_saturation) AS oxygen_saturation_max,
                   min(v.respiratory_rate) AS respiratory_rate_min, max(v.respiratory_rate) AS respiratory_rate_max,
                   min(v.weight) AS weight_min, max(v.weight) AS weight_max, min(v.height) AS height_min, max(v.height) AS height_max,
                   min(v.glucose_level) AS glucose_level_min, max(v.glucose_level) AS glucose_level_max
            FROM vital_signs v
            WHERE {ThePatient} AND v.recorded_at >= @sinceUtc
            GROUP BY 1
            ORDER BY 1
            """;
        var bucket = VitalTrend.BucketFor(nowUtc - sinceUtc);
        var args = new { patientUserId, sinceUtc = Utc(sinceUtc), bucket };
        var buckets = own ? await db.QueryListAsync<VitalBucket>(sql, args, ct) : await reads.QueryListAsync<VitalBucket>(sql, args, ct);
        return new VitalTrend([.. buckets.SelectMany(b => b.Points(bucket))], buckets.Sum(b => b.Readings), bucket);
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
        if (user.IsDoctor)
            await chartAccess.RequireReadAsync(user, patientUserId, "vitals", ct);
        else if (user.Id != patientUserId)
            throw new AccessDeniedException();
        return user.IsPatient;
    }

    static DateTime? Utc(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v.ToUniversalTime(), DateTimeKind.Utc) : null;
}
