using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Shared.Immunizations;

/// <summary>
/// A patient's immunizations. A doctor of the patient's care team records one given at the clinic
/// and confirms one the patient reported; a patient reads their own and reports one given elsewhere,
/// which stays patient-reported until a doctor confirms it. Every write is audited in its
/// transaction (field names, never the values); a doctor's read goes through the chart guard.
/// </summary>
public sealed class ImmunizationHistory(NpgsqlDataSource db, ICurrentUser currentUser, CareTeam careTeam, ChartAccessGuard guard, AuditLog audit, TimeProvider clock)
{
    public const string CreateAction = "immunization_create";
    public const string ConfirmAction = "immunization_confirm";
    public const string NotYourPatient = "You can record immunizations only for your own patients.";

    const string VaccinesSql = "SELECT cvx_code, name FROM vaccines ORDER BY name";

    /// <summary>The vaccines to choose from, by name (a code table: no patient's data).</summary>
    public async Task<IReadOnlyList<Vaccine>> VaccinesAsync(CancellationToken ct = default)
    {
        await currentUser.RequireAsync(Roles.Doctor, Roles.Patient);
        return await db.QueryListAsync<Vaccine>(VaccinesSql, ct: ct);
    }

    const string ListSql = $"""
        {ImmunizationRow.SelectSql}
        WHERE i.patient_id = @patientUserId
        ORDER BY i.administered_on DESC, i.id DESC
        """;

    /// <summary>The signed-in patient's immunizations, newest first.</summary>
    public async Task<IReadOnlyList<ImmunizationRow>> MineAsync(CancellationToken ct = default)
    {
        var patient = await currentUser.RequireAsync(Roles.Patient);
        return await db.QueryListAsync<ImmunizationRow>(ListSql, new { patientUserId = patient.Id }, ct);
    }

    /// <summary>A patient's immunizations for the chart, newest first (care team, or break-glass audited by the guard).</summary>
    public async Task<IReadOnlyList<ImmunizationRow>> ForChartAsync(int patientUserId, CancellationToken ct = default)
    {
        await guard.RequireReadAsync(await currentUser.RequireAsync(Roles.Doctor), patientUserId, "immunizations", ct);
        return await db.QueryListAsync<ImmunizationRow>(ListSql, new { patientUserId }, ct);
    }

    /// <summary>The signed-in patient records a dose given elsewhere: patient-reported until a doctor confirms it.</summary>
    /// <exception cref="FieldValidationException">A field is missing or wrong; nothing was written.</exception>
    public async Task<int> ReportAsync(ImmunizationDraft draft, CancellationToken ct = default)
    {
        var patient = await currentUser.RequireAsync(Roles.Patient);
        await ValidateAsync(draft, patient.Id, ct);
        return await InsertAsync(draft, patient.Id, ImmunizationRow.PatientReported, givenBy: null, recordedBy: patient.Id, ct);
    }

    /// <summary>The signed-in doctor records a dose they gave one of their patients.</summary>
    /// <exception cref="AccessDeniedException">Not a doctor of this patient (break-glass access is read-only).</exception>
    /// <exception cref="FieldValidationException">A field is missing or wrong; nothing was written.</exception>
    public async Task<int> RecordAsync(int patientUserId, ImmunizationDraft draft, CancellationToken ct = default)
    {
        var doctor = await currentUser.RequireAsync(Roles.Doctor);
        if (!await careTeam.AreLinkedAsync(doctor.Id, patientUserId, ct))
            throw new AccessDeniedException(NotYourPatient);
        await ValidateAsync(draft, patientUserId, ct);
        return await InsertAsync(draft, patientUserId, ImmunizationRow.Clinic, givenBy: doctor.Id, recordedBy: doctor.Id, ct);
    }

    const string LockSql = "SELECT patient_id, source, confirmed_by FROM immunizations WHERE id = @id FOR UPDATE";

    const string ConfirmSql = "UPDATE immunizations SET confirmed_by = @doctorId, confirmed_at = @now WHERE id = @id";

    sealed record Locked(int PatientId, string Source, int? ConfirmedBy);

    /// <summary>A doctor of the patient's confirms a patient-reported dose (after seeing the proof).</summary>
    /// <exception cref="AccessDeniedException">Not a doctor of this patient, or no such immunization (the same answer).</exception>
    /// <exception cref="BusinessRuleException">Given at the clinic, or confirmed already.</exception>
    public async Task ConfirmAsync(int immunizationId, CancellationToken ct = default)
    {
        var doctor = await currentUser.RequireAsync(Roles.Doctor);
        await db.InTransactionAsync(async tx =>
        {
            var row = await tx.QueryOneAsync<Locked>(LockSql, new { id = immunizationId });
            if (row is null || !await careTeam.AreLinkedAsync(doctor.Id, row.PatientId, ct))
                throw new AccessDeniedException(NotYourPatient);
            if (row.Source != ImmunizationRow.PatientReported)
                throw new BusinessRuleException("This immunization was given at the clinic: there is nothing to confirm.");
            if (row.ConfirmedBy is not null)
                throw new BusinessRuleException("This immunization is confirmed already.");
            await tx.ExecuteAsync(ConfirmSql, new { id = immunizationId, doctorId = doctor.Id, now = clock.GetUtcNow().UtcDateTime });
            await audit.WriteAsync(tx, ConfirmAction, "immunizations", immunizationId,
                new { confirmedBy = (int?)null }, new { patientId = row.PatientId, confirmedBy = doctor.Id });
        }, ct: ct);
    }

    const string BornSql = "SELECT date_of_birth FROM patients WHERE user_id = @patientUserId";

    async Task ValidateAsync(ImmunizationDraft draft, int patientUserId, CancellationToken ct)
    {
        var born = await db.QueryOneAsync<DateOnly?>(BornSql, new { patientUserId }, ct);
        var codes = (await db.QueryListAsync<string>("SELECT cvx_code FROM vaccines", ct: ct)).ToHashSet();
        var errors = draft.Validate(DateOnly.FromDateTime(clock.GetLocalNow().DateTime), born, codes);
        if (errors.Count > 0)
            throw new FieldValidationException(errors);
    }

    const string InsertSql = """
        INSERT INTO immunizations (patient_id, cvx_code, administered_on, dose_number, lot_number, site, given_at, notes,
                                   source, given_by, recorded_by)
        VALUES (@PatientId, @CvxCode, @AdministeredOn, @DoseNumber, @LotNumber, @Site, @GivenAt, @Notes,
                @Source, @GivenBy, @RecordedBy)
        RETURNING id
        """;

    async Task<int> InsertAsync(ImmunizationDraft draft, int patientUserId, string source, int? givenBy, int recordedBy, CancellationToken ct)
    {
        var row = new
        {
            PatientId = patientUserId,
            draft.CvxCode,
            AdministeredOn = DateOnly.FromDateTime(draft.AdministeredOn!.Value),
            DoseNumber = (short?)draft.DoseNumber,
            LotNumber = TextField.Clean(draft.LotNumber),
            Site = TextField.Clean(draft.Site),
            GivenAt = TextField.Clean(draft.GivenAt),
            Notes = TextField.Clean(draft.Notes),
            Source = source,
            GivenBy = givenBy,
            RecordedBy = recordedBy,
        };
        return await db.InTransactionAsync(async tx =>
        {
            var id = await tx.InsertReturningAsync<int>(InsertSql, row);
            // Which fields were filled, never the vaccine, date, lot or notes (see AuditLog).
            await audit.WriteAsync(tx, CreateAction, "immunizations", id, null, new
            {
                row.PatientId,
                row.Source,
                written = AuditLog.Written(new { row.CvxCode, row.AdministeredOn, row.DoseNumber, row.LotNumber, row.Site, row.GivenAt, row.Notes }),
            });
            return id;
        }, ct: ct);
    }
}
