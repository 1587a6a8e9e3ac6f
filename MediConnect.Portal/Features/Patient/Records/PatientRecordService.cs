using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Patient.Records;

public sealed record PatientRecordSummary(int Id, DateTime RecordDate, string RecordType, string? DoctorName, string? ChiefComplaint, string? Diagnosis);

public sealed record PatientRecordDetail(
    int Id,
    DateTime RecordDate,
    string RecordType,
    string? DoctorName,
    string? DoctorSpecialization,
    string? ChiefComplaint,
    string? Diagnosis,
    string? TreatmentPlan,
    string? Notes,
    string Attachments);

/// <summary>The signed-in patient's medical records, read-only.</summary>
public sealed class PatientRecordService(NpgsqlDataSource db, ICurrentUser currentUser, AuditLog audit)
{
    const string MineSql = """
        SELECT r.id, r.record_date, r.record_type, d.name AS doctor_name, r.chief_complaint, r.diagnosis
        FROM medical_records r
        LEFT JOIN users d ON d.id = r.doctor_id
        WHERE r.patient_id = @patientId
        ORDER BY r.record_date DESC, r.id DESC
        """;

    const string OneSql = """
        SELECT r.id, r.record_date, r.record_type, d.name AS doctor_name, d.specialization AS doctor_specialization,
               r.chief_complaint, r.diagnosis, r.treatment_plan, r.notes, r.attachments::text AS attachments
        FROM medical_records r
        LEFT JOIN users d ON d.id = r.doctor_id
        WHERE r.id = @id AND r.patient_id = @patientId
        """;

    public static string TypeKey(string recordType) => recordType switch
    {
        "lab_result" => "Record.LabResult",
        "consultation" => "Record.Consultation",
        "imaging" => "Record.Imaging",
        "procedure" => "Record.Procedure",
        "diagnosis" => "Record.Diagnosis",
        _ => "Record.Note",
    };

    public async Task<IReadOnlyList<PatientRecordSummary>> MineAsync(CancellationToken ct = default)
    {
        var user = await currentUser.RequireAsync(Roles.Patient);
        return await db.QueryListAsync<PatientRecordSummary>(MineSql, new { patientId = user.Id }, ct);
    }

    /// <exception cref="AccessDeniedException">Not the patient's record (or none with that id).</exception>
    public async Task<PatientRecordDetail> DetailAsync(int id, CancellationToken ct = default)
    {
        var user = await currentUser.RequireAsync(Roles.Patient);
        var record = await db.QueryOneAsync<PatientRecordDetail>(OneSql, new { id, patientId = user.Id }, ct)
            ?? throw new AccessDeniedException("That record was not found among yours.");
        await audit.WriteAsync(db, "medical_record_view", "medical_records", id);
        return record;
    }
}
