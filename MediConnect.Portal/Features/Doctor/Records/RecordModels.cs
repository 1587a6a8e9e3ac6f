namespace MediConnect.Portal.Features.Doctor.Records;

/// <summary>The values of <c>medical_records.record_type</c>.</summary>
public static class RecordTypes
{
    public const string Consultation = "consultation";

    public static readonly IReadOnlyList<string> All = [Consultation, "lab_result", "imaging", "procedure", "diagnosis", "note"];

    public static string Label(string type) => type switch
    {
        Consultation => "Consultation",
        "lab_result" => "Lab result",
        "imaging" => "Imaging",
        "procedure" => "Procedure",
        "diagnosis" => "Diagnosis",
        "note" => "Note",
        _ => type,
    };
}

/// <summary>One medical record as the chart shows it.</summary>
public sealed record MedicalRecordRow(
    int Id,
    int PatientId,
    int? DoctorId,
    string? DoctorName,
    int? AppointmentId,
    string RecordType,
    string? ChiefComplaint,
    string? Diagnosis,
    string? TreatmentPlan,
    string? Notes,
    DateTime RecordDate)
{
    public const string SelectSql = """
        SELECT mr.id, mr.patient_id, mr.doctor_id, du.name AS doctor_name, mr.appointment_id, mr.record_type,
               mr.chief_complaint, mr.diagnosis, mr.treatment_plan, mr.notes, mr.record_date
        FROM medical_records mr
        LEFT JOIN users du ON du.id = mr.doctor_id
        """;
}

/// <summary>The note form: a new record (<see cref="Id"/> null) or an edit of the doctor's own.</summary>
public sealed class NoteDraft
{
    public int? Id { get; set; }
    public int PatientUserId { get; set; }
    public int? AppointmentId { get; set; }
    public string RecordType { get; set; } = RecordTypes.Consultation;
    public string? ChiefComplaint { get; set; }
    public string? Diagnosis { get; set; }
    public string? TreatmentPlan { get; set; }
    public string? Notes { get; set; }

    public static NoteDraft From(MedicalRecordRow row) => new()
    {
        Id = row.Id,
        PatientUserId = row.PatientId,
        AppointmentId = row.AppointmentId,
        RecordType = row.RecordType,
        ChiefComplaint = row.ChiefComplaint,
        Diagnosis = row.Diagnosis,
        TreatmentPlan = row.TreatmentPlan,
        Notes = row.Notes,
    };
}
