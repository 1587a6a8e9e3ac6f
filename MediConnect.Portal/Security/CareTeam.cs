using MediConnect.Portal.Data;
using Npgsql;

namespace MediConnect.Portal.Security;

/// <summary>
/// Who cares for whom: a doctor "has" a patient when an appointment or a prescription links
/// them. Doctors reach only their patients' charts; patients message only their doctors.
/// Ids here are <c>users.id</c> on both sides.
/// </summary>
public sealed class CareTeam(NpgsqlDataSource db)
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

    public Task<bool> AreLinkedAsync(int doctorId, int patientId, CancellationToken ct = default) =>
        db.QueryOneAsync<bool>(LinkedSql, new { doctorId, patientId }, ct);

    public Task<IReadOnlyList<int>> PatientsOfAsync(int doctorId, CancellationToken ct = default) =>
        db.QueryListAsync<int>(PatientsOfSql, new { doctorId }, ct);

    public Task<IReadOnlyList<int>> DoctorsOfAsync(int patientId, CancellationToken ct = default) =>
        db.QueryListAsync<int>(DoctorsOfSql, new { patientId }, ct);
}
