using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Doctor.Prescriptions;

/// <summary>Prescribing for one of the doctor's patients and moving the doctor's prescriptions through their lifecycle.</summary>
public sealed class DoctorPrescriptions(NpgsqlDataSource db, ICurrentUser currentUser, CareTeam careTeam, AuditLog audit, TimeProvider clock)
{
    public static readonly TextField Medication = new("Medication", 200, Missing: "Medication is required.");
    public static readonly TextField Dosage = new("Dosage", 100, Missing: "Dosage is required.");
    public static readonly TextField Frequency = new("Frequency", 200, Missing: "Frequency is required.");
    public static readonly TextField Duration = new("Duration", 100);
    public static readonly TextField Pharmacy = new("Pharmacy", 200);
    public static readonly TextField Instructions = new("Instructions", 2000, TextKind.Lines);

    /// <summary>Per-field messages for the draft; empty when it is valid.</summary>
    public static IReadOnlyDictionary<string, string> Validate(PrescriptionDraft draft, DateOnly today)
    {
        var errors = new Dictionary<string, string>();
        errors.Check(nameof(draft.Medication), Medication, draft.Medication);
        errors.Check(nameof(draft.Dosage), Dosage, draft.Dosage);
        errors.Check(nameof(draft.Frequency), Frequency, draft.Frequency);
        errors.Check(nameof(draft.Duration), Duration, draft.Duration);
        errors.Check(nameof(draft.Pharmacy), Pharmacy, draft.Pharmacy);
        errors.Check(nameof(draft.Instructions), Instructions, draft.Instructions);
        if (draft.Quantity is < 1 or > 1000)
            errors[nameof(draft.Quantity)] = "Quantity must be between 1 and 1000.";
        if (draft.Refills is < 0 or > 12)
            errors[nameof(draft.Refills)] = "Refills must be between 0 and 12.";
        if (draft.ExpirationDate is { } expires)
        {
            var date = DateOnly.FromDateTime(expires);
            if (date <= today)
                errors[nameof(draft.ExpirationDate)] = "The expiration date must be after today.";
            else if (date > today.AddYears(2))
                errors[nameof(draft.ExpirationDate)] = "The expiration date can be at most two years ahead.";
        }
        return errors;
    }

    /// <summary>The patient's recorded allergies the medication may trigger (for the warning shown while typing).</summary>
    public async Task<IReadOnlyList<AllergyMatch>> AllergyMatchesAsync(int patientUserId, string? medication, CancellationToken ct = default)
    {
        await RequireLinkedAsync(patientUserId, ct);
        return AllergyMatcher.Match(await AllergiesAsync(patientUserId, ct), medication);
    }

    /// <summary>
    /// Writes a pending prescription with its audit row. When the medication matches a recorded
    /// allergy, <paramref name="allergyWarningAcknowledged"/> must be true (and is audited).
    /// </summary>
    /// <exception cref="FieldValidationException">A field is missing or out of range.</exception>
    /// <exception cref="AllergyWarningException">Allergy match not acknowledged; nothing written.</exception>
    public async Task<PrescriptionRow> PrescribeAsync(PrescriptionDraft draft, bool allergyWarningAcknowledged = false, CancellationToken ct = default)
    {
        var doctor = await RequireLinkedAsync(draft.PatientUserId, ct);
        var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        var errors = Validate(draft, today);
        if (errors.Count > 0)
            throw new FieldValidationException(errors);
        if (draft.AppointmentId is { } appointmentId)
        {
            const string appointmentSql = "SELECT EXISTS (SELECT 1 FROM appointments WHERE id = @appointmentId AND doctor_id = @doctorId AND patient_id = @patientId)";
            if (!await db.QueryOneAsync<bool>(appointmentSql, new { appointmentId, doctorId = doctor.Id, patientId = draft.PatientUserId }, ct))
                throw new BusinessRuleException("The appointment is not one of yours with this patient.");
        }
        var matches = AllergyMatcher.Match(await AllergiesAsync(draft.PatientUserId, ct), draft.Medication);
        if (matches.Count > 0 && !allergyWarningAcknowledged)
            throw new AllergyWarningException(matches);

        const string insert = """
            INSERT INTO prescriptions (patient_id, doctor_id, appointment_id, medication, dosage, frequency, duration,
                                       quantity, refills, pharmacy, status, instructions, prescribed_date, expiration_date)
            VALUES (@PatientId, @DoctorId, @AppointmentId, @Medication, @Dosage, @Frequency, @Duration,
                    @Quantity, @Refills, @Pharmacy, 'pending', @Instructions, @Today, @ExpirationDate)
            RETURNING id
            """;
        var values = new
        {
            PatientId = draft.PatientUserId,
            DoctorId = doctor.Id,
            draft.AppointmentId,
            Medication = draft.Medication.Trim(),
            Dosage = draft.Dosage.Trim(),
            Frequency = draft.Frequency.Trim(),
            Duration = TextField.Clean(draft.Duration),
            draft.Quantity,
            draft.Refills,
            Pharmacy = TextField.Clean(draft.Pharmacy),
            Instructions = TextField.Clean(draft.Instructions),
            Today = today,
            ExpirationDate = draft.ExpirationDate is { } e ? DateOnly.FromDateTime(e) : (DateOnly?)null,
        };
        return await db.InTransactionAsync(async tx =>
        {
            var id = await tx.InsertReturningAsync<int>(insert, values);
            // Ids, status and field names; the medication, its dose and the allergy matched stay in the chart (see AuditLog).
            await audit.WriteAsync(tx, "prescription_create", "prescription", id, null, new
            {
                values.PatientId,
                values.AppointmentId,
                status = PrescriptionLifecycle.Pending,
                written = AuditLog.Written(new
                {
                    values.Medication, values.Dosage, values.Frequency, values.Duration, values.Quantity,
                    values.Refills, values.Pharmacy, values.Instructions, values.ExpirationDate,
                }),
                allergyWarningAcknowledged = matches.Count > 0,
            });
            return (await tx.QueryOneAsync<PrescriptionRow>($"{PrescriptionRow.SelectSql} WHERE rx.id = @id", new { id }))!;
        }, ct: ct);
    }

    /// <summary>Moves one of the doctor's own prescriptions to <paramref name="toStatus"/> with its audit row.</summary>
    /// <exception cref="BusinessRuleException">The move is not allowed (or a cancellation has no reason).</exception>
    public async Task<PrescriptionRow> MoveAsync(int prescriptionId, string toStatus, string? reason = null, CancellationToken ct = default)
    {
        var doctor = await currentUser.RequireAsync(Roles.Doctor);
        const string current = "SELECT status, cancellation_reason FROM prescriptions WHERE id = @prescriptionId AND doctor_id = @doctorId FOR UPDATE";
        const string update = """
            UPDATE prescriptions
            SET status = @toStatus,
                cancellation_reason = CASE WHEN @toStatus = 'cancelled' THEN @reason ELSE cancellation_reason END
            WHERE id = @prescriptionId
            """;
        return await db.InTransactionAsync(async tx =>
        {
            var row = await tx.QueryOneAsync<RxState>(current, new { prescriptionId, doctorId = doctor.Id })
                ?? throw new AccessDeniedException("You can change only prescriptions you wrote.");
            PrescriptionLifecycle.Require(row.Status, toStatus, reason);
            var trimmed = toStatus == PrescriptionLifecycle.Cancelled ? reason!.Trim() : null;
            await tx.ExecuteAsync(update, new { prescriptionId, toStatus, reason = trimmed });
            // The status transition, and the reason's field name, never its text (see AuditLog).
            await audit.WriteAsync(tx, "prescription_status_change", "prescription", prescriptionId,
                new { status = row.Status },
                new { status = toStatus, written = AuditLog.Written(new { cancellationReason = trimmed }) });
            return (await tx.QueryOneAsync<PrescriptionRow>($"{PrescriptionRow.SelectSql} WHERE rx.id = @prescriptionId", new { prescriptionId }))!;
        }, ct: ct);
    }

    sealed record RxState(string Status, string? CancellationReason);

    async Task<PortalUser> RequireLinkedAsync(int patientUserId, CancellationToken ct)
    {
        var doctor = await currentUser.RequireAsync(Roles.Doctor);
        if (!await careTeam.AreLinkedAsync(doctor.Id, patientUserId, ct))
            throw new AccessDeniedException("You can prescribe only for your own patients.");
        return doctor;
    }

    // The structured list (active entries) is the record; the free text the clinic kept before still
    // warns for each entry the structured list does not already hold (see 101_problem_list_and_allergies.sql).
    async Task<IReadOnlyList<string>> AllergiesAsync(int patientUserId, CancellationToken ct)
    {
        const string sql = """
            SELECT substance FROM (
                SELECT a.substance, 0 AS source, a.id AS position
                FROM patient_allergies a
                WHERE a.patient_id = @patientUserId AND a.status = 'active'
                UNION ALL
                SELECT btrim(item.text), 1, item.ordinal
                FROM patients p
                CROSS JOIN LATERAL unnest(string_to_array(p.allergies, ',')) WITH ORDINALITY AS item(text, ordinal)
                WHERE p.user_id = @patientUserId AND btrim(item.text) <> ''
                  AND NOT EXISTS (SELECT 1 FROM patient_allergies a
                                  WHERE a.patient_id = p.user_id AND a.status = 'active' AND lower(btrim(a.substance)) = lower(btrim(item.text)))
            ) AS all_allergies
            ORDER BY source, position
            """;
        return await db.QueryListAsync<string>(sql, new { patientUserId }, ct);
    }

}
