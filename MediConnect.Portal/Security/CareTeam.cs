using MediConnect.Portal.Data;
using Npgsql;

namespace MediConnect.Portal.Security;

/// <summary>How a doctor may read a patient's chart right now.</summary>
public enum ChartAccessKind
{
    /// <summary>Not linked, and no emergency access.</summary>
    None,
    /// <summary>One of the patient's doctors (an appointment or a prescription links them).</summary>
    CareTeam,
    /// <summary>Break-glass: read-only, until <see cref="ChartAccess.EmergencyUntil"/>.</summary>
    Emergency,
    /// <summary>Not linked; an emergency access this doctor had has ended.</summary>
    EmergencyEnded,
}

/// <summary>A doctor's access to one chart, with the live break-glass grant when that is what allows it.</summary>
public sealed record ChartAccess(ChartAccessKind Kind, int? GrantId = null, DateTime? EmergencyUntil = null)
{
    public bool CanRead => Kind is ChartAccessKind.CareTeam or ChartAccessKind.Emergency;
}

/// <summary>
/// Who cares for whom: a doctor "has" a patient when an appointment or a prescription links
/// them. Doctors reach only their patients' charts (and, under break-glass, one more chart for a
/// limited time, read-only); patients message only their doctors. Ids here are <c>users.id</c> on both sides.
/// </summary>
public sealed class CareTeam(NpgsqlDataSource db, TimeProvider time)
{
    /// <summary>
    /// The same rule as a subquery, for reads that filter in SQL (the FHIR API): the
    /// <c>users.id</c> of every active patient whose clinical data the viewer may read. Parameters:
    /// <c>@viewerId</c>; <c>@readsSelf</c> (a patient reads their own); <c>@readsCareTeam</c> (a
    /// doctor reads the patients an appointment or prescription links them to). Admins pass both
    /// false and read nobody.
    /// </summary>
    public const string ReadablePatientsSql = """
        SELECT u.id FROM users u
        WHERE u.role = 'patient' AND u.is_active
          AND ((@readsSelf AND u.id = @viewerId)
            OR (@readsCareTeam AND (EXISTS (SELECT 1 FROM appointments a WHERE a.doctor_id = @viewerId AND a.patient_id = u.id)
                                 OR EXISTS (SELECT 1 FROM prescriptions rx WHERE rx.doctor_id = @viewerId AND rx.patient_id = u.id))))
        """;

    const string LinkedSql = """
        SELECT EXISTS (SELECT 1 FROM appointments WHERE doctor_id = @doctorId AND patient_id = @patientId)
            OR EXISTS (SELECT 1 FROM prescriptions WHERE doctor_id = @doctorId AND patient_id = @patientId)
        """;

    // Expiry is decided here, on every read, against the portal's clock: a chart left open stops reading when the grant ends.
    const string ChartAccessSql = $"""
        SELECT ({LinkedSql}) AS linked,
               g.id AS grant_id, g.expires_at AS emergency_until,
               EXISTS (SELECT 1 FROM break_glass_grants e WHERE e.doctor_id = @doctorId AND e.patient_id = @patientId) AS had_grant
        FROM (SELECT 1) one
        LEFT JOIN LATERAL (
            SELECT id, expires_at FROM break_glass_grants
            WHERE doctor_id = @doctorId AND patient_id = @patientId AND granted_at <= @now AND expires_at > @now
            ORDER BY expires_at DESC
            LIMIT 1
        ) g ON true
        """;

    const string PatientsOfSql = """
        SELECT patient_id FROM appointments WHERE doctor_id = @doctorId
        UNION
        SELECT patient_id FROM prescriptions WHERE doctor_id = @doctorId
        """;

    const string DoctorsOfSql = """
        SELECT doctor_id FROM appointments WHERE patient_id = @patientId
        UNION
        SELECT doctor_id FROM prescriptions WHERE patient_id = @patientId
        """;

    sealed record AccessRow(bool Linked, int? GrantId, DateTime? EmergencyUntil, bool HadGrant);

    public Task<bool> AreLinkedAsync(int doctorId, int patientId, CancellationToken ct = default) =>
        db.QueryOneAsync<bool>(LinkedSql, new { doctorId, patientId }, ct);

    /// <summary>Whether <paramref name="doctorId"/> may read the chart of <paramref name="patientId"/> now, and why.</summary>
    public async Task<ChartAccess> ChartAccessAsync(int doctorId, int patientId, CancellationToken ct = default)
    {
        var row = (await db.QueryOneAsync<AccessRow>(ChartAccessSql, new { doctorId, patientId, now = time.GetUtcNow().UtcDateTime }, ct))!;
        return row switch
        {
            { Linked: true } => new ChartAccess(ChartAccessKind.CareTeam),
            { GrantId: { } grantId } => new ChartAccess(ChartAccessKind.Emergency, grantId, row.EmergencyUntil),
            { HadGrant: true } => new ChartAccess(ChartAccessKind.EmergencyEnded),
            _ => new ChartAccess(ChartAccessKind.None),
        };
    }

    public Task<IReadOnlyList<int>> PatientsOfAsync(int doctorId, CancellationToken ct = default) =>
        db.QueryListAsync<int>(PatientsOfSql, new { doctorId }, ct);

    public Task<IReadOnlyList<int>> DoctorsOfAsync(int patientId, CancellationToken ct = default) =>
        db.QueryListAsync<int>(DoctorsOfSql, new { patientId }, ct);
}
