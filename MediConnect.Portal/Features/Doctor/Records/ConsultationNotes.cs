using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Notifications.Delivery;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Doctor.Records;

/// <summary>Consultation notes (medical records) a doctor writes for their patients, usually linked to an appointment.</summary>
public sealed class ConsultationNotes(NpgsqlDataSource db, ICurrentUser currentUser, CareTeam careTeam, AuditLog audit, NoticeQueue? notices = null)
{
    sealed record AppointmentLink(int PatientId, DateOnly AppointmentDate, TimeOnly AppointmentTime, string? Reason);

    public static readonly TextField ChiefComplaint = new("The chief complaint", 4000, TextKind.Lines);
    public static readonly TextField Diagnosis = new("The diagnosis", 4000, TextKind.Lines);
    public static readonly TextField TreatmentPlan = new("The treatment plan", 4000, TextKind.Lines);
    public static readonly TextField Notes = new("The notes", 4000, TextKind.Lines);

    public static IReadOnlyDictionary<string, string> Validate(NoteDraft draft)
    {
        var errors = new Dictionary<string, string>();
        if (!RecordTypes.All.Contains(draft.RecordType))
            errors[nameof(draft.RecordType)] = "Choose a record type.";
        if (new[] { draft.ChiefComplaint, draft.Diagnosis, draft.TreatmentPlan, draft.Notes }.All(string.IsNullOrWhiteSpace))
            errors[nameof(draft.Notes)] = "Write at least a chief complaint, a diagnosis, a treatment plan or a note.";
        errors.Check(nameof(draft.ChiefComplaint), ChiefComplaint, draft.ChiefComplaint);
        errors.Check(nameof(draft.Diagnosis), Diagnosis, draft.Diagnosis);
        errors.Check(nameof(draft.TreatmentPlan), TreatmentPlan, draft.TreatmentPlan);
        errors.Check(nameof(draft.Notes), Notes, draft.Notes);
        return errors;
    }

    /// <summary>The doctor's consultation note for one of their appointments, or null when none is written yet.</summary>
    public async Task<MedicalRecordRow?> ForAppointmentAsync(int appointmentId, CancellationToken ct = default)
    {
        var doctor = await currentUser.RequireAsync(Roles.Doctor);
        await AppointmentAsync(appointmentId, doctor.Id, ct);
        const string sql = $"""
            {MedicalRecordRow.SelectSql}
            WHERE mr.appointment_id = @appointmentId AND mr.doctor_id = @doctorId
            ORDER BY mr.record_type <> 'consultation', mr.id DESC
            LIMIT 1
            """;
        return await db.QueryOneAsync<MedicalRecordRow>(sql, new { appointmentId, doctorId = doctor.Id }, ct);
    }

    /// <summary>
    /// What the note dialog starts from: the doctor's note for the appointment when written, otherwise
    /// a new note whose chief complaint is the visit's reason (or empty, without an appointment).
    /// </summary>
    public async Task<NoteDraft> DraftAsync(int patientUserId, int? appointmentId, CancellationToken ct = default)
    {
        if (appointmentId is not { } id)
            return new NoteDraft { PatientUserId = patientUserId };
        var doctor = await currentUser.RequireAsync(Roles.Doctor);
        var appointment = await AppointmentAsync(id, doctor.Id, ct);
        return await ForAppointmentAsync(id, ct) is { } existing
            ? NoteDraft.From(existing)
            : new NoteDraft { PatientUserId = patientUserId, AppointmentId = id, ChiefComplaint = appointment.Reason };
    }

    /// <summary>Creates the record (or updates the doctor's own) with its audit row in one transaction.</summary>
    /// <exception cref="FieldValidationException">A field is missing or too long.</exception>
    public async Task<MedicalRecordRow> SaveAsync(NoteDraft draft, CancellationToken ct = default)
    {
        var doctor = await currentUser.RequireAsync(Roles.Doctor);
        if (!await careTeam.AreLinkedAsync(doctor.Id, draft.PatientUserId, ct))
            throw new AccessDeniedException("You can write notes only for your own patients.");
        var errors = Validate(draft);
        if (errors.Count > 0)
            throw new FieldValidationException(errors);
        DateTime? recordDate = null;
        if (draft.AppointmentId is { } appointmentId)
        {
            var appointment = await AppointmentAsync(appointmentId, doctor.Id, ct);
            if (appointment.PatientId != draft.PatientUserId)
                throw new BusinessRuleException("The appointment belongs to another patient.");
            recordDate = appointment.AppointmentDate.ToDateTime(appointment.AppointmentTime).ToUniversalTime();
        }
        var values = new
        {
            draft.Id,
            PatientId = draft.PatientUserId,
            DoctorId = doctor.Id,
            draft.AppointmentId,
            draft.RecordType,
            ChiefComplaint = TextField.Clean(draft.ChiefComplaint),
            Diagnosis = TextField.Clean(draft.Diagnosis),
            TreatmentPlan = TextField.Clean(draft.TreatmentPlan),
            Notes = TextField.Clean(draft.Notes),
            RecordDate = recordDate,
        };
        const string insert = """
            INSERT INTO medical_records (patient_id, doctor_id, appointment_id, record_type, chief_complaint, diagnosis,
                                         treatment_plan, notes, record_date)
            VALUES (@PatientId, @DoctorId, @AppointmentId, @RecordType, @ChiefComplaint, @Diagnosis,
                    @TreatmentPlan, @Notes, coalesce(@RecordDate, now()))
            RETURNING id
            """;
        const string update = """
            UPDATE medical_records
            SET record_type = @RecordType, chief_complaint = @ChiefComplaint, diagnosis = @Diagnosis,
                treatment_plan = @TreatmentPlan, notes = @Notes, appointment_id = @AppointmentId
            WHERE id = @Id
            """;
        return await db.InTransactionAsync(async tx =>
        {
            int id;
            if (draft.Id is { } existingId)
            {
                var old = await tx.QueryOneAsync<MedicalRecordRow>(
                    $"{MedicalRecordRow.SelectSql} WHERE mr.id = @existingId AND mr.doctor_id = @doctorId AND mr.patient_id = @patientId FOR UPDATE OF mr",
                    new { existingId, doctorId = doctor.Id, patientId = draft.PatientUserId })
                    ?? throw new AccessDeniedException("You can edit only records you wrote.");
                await tx.ExecuteAsync(update, values);
                // Field names only, never the clinical text (see AuditLog).
                await audit.WriteAsync(tx, "medical_record_update", "medical_record", existingId, null, new
                {
                    values.PatientId,
                    values.AppointmentId,
                    changed = AuditLog.Changed(
                        new { old.RecordType, old.ChiefComplaint, old.Diagnosis, old.TreatmentPlan, old.Notes, old.AppointmentId },
                        new { values.RecordType, values.ChiefComplaint, values.Diagnosis, values.TreatmentPlan, values.Notes, values.AppointmentId }),
                });
                id = existingId;
            }
            else
            {
                id = await tx.InsertReturningAsync<int>(insert, values);
                await audit.WriteAsync(tx, "medical_record_create", "medical_record", id, null, new
                {
                    values.PatientId,
                    values.AppointmentId,
                    written = AuditLog.Written(new { values.RecordType, values.ChiefComplaint, values.Diagnosis, values.TreatmentPlan, values.Notes }),
                });
                if (notices is not null)
                    await notices.NewResultAsync(tx, values.PatientId, id); // "a new result is available", never what it says
            }
            return (await tx.QueryOneAsync<MedicalRecordRow>($"{MedicalRecordRow.SelectSql} WHERE mr.id = @id", new { id }))!;
        }, ct: ct);
    }

    async Task<AppointmentLink> AppointmentAsync(int appointmentId, int doctorId, CancellationToken ct) =>
        await db.QueryOneAsync<AppointmentLink>(
            "SELECT patient_id, appointment_date, appointment_time, reason FROM appointments WHERE id = @appointmentId AND doctor_id = @doctorId",
            new { appointmentId, doctorId }, ct)
        ?? throw new AccessDeniedException("This appointment is not on your list.");
}
