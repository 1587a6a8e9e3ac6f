using System.Text.RegularExpressions;
using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Shared.ProblemList;

/// <summary>
/// A patient's problem list (ICD-10-CM coded or not yet) and allergies. A patient reads their own;
/// a doctor reads a chart through <see cref="ChartAccessGuard"/> and writes only for a patient of
/// their care team (never under break-glass, which is read-only). Every write carries its audit row
/// in the same transaction, with ids, status and field names, never the clinical words.
/// </summary>
public sealed partial class ProblemListService(NpgsqlDataSource db, ICurrentUser currentUser, CareTeam careTeam, ChartAccessGuard guard, AuditLog audit, TimeProvider clock)
{
    public static readonly TextField Description = new("Problem", 200, TextKind.Identity, Missing: "Describe the problem.");
    public static readonly TextField Substance = new("Substance", 200, TextKind.Identity, Missing: "Name the substance.");
    public static readonly TextField Reaction = new("Reaction", 500);
    public const string EntityProblem = "patient_problems";
    public const string EntityAllergy = "patient_allergies";
    public const int SearchLimit = 20;

    /// <summary>
    /// Codes whose code starts with <paramref name="query"/> (<c>E11</c>, <c>e11.9</c>) or whose title
    /// holds every word of it (<c>diabetes type 2</c>), codes first, at most <see cref="SearchLimit"/>.
    /// </summary>
    public async Task<IReadOnlyList<Icd10Code>> SearchCodesAsync(string? query, CancellationToken ct = default)
    {
        await currentUser.RequireAsync(Roles.Doctor);
        var words = (query ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Take(8).Select(w => w.Length > 40 ? w[..40] : w).ToArray();
        if (words.Length == 0)
            return [];
        const string sql = """
            SELECT code, title
            FROM icd10_codes
            WHERE starts_with(code, upper(@prefix))
               OR (SELECT bool_and(strpos(lower(title), lower(w)) > 0) FROM unnest(@words) AS w)
            ORDER BY starts_with(code, upper(@prefix)) DESC, code
            LIMIT @limit
            """;
        return await db.QueryListAsync<Icd10Code>(sql, new { prefix = words[0], words, limit = SearchLimit }, ct);
    }

    /// <summary>The signed-in patient's own problems and allergies.</summary>
    public async Task<PatientProblemList> MineAsync(CancellationToken ct = default)
    {
        var patient = await currentUser.RequireAsync(Roles.Patient);
        return await LoadAsync(patient.Id, ct);
    }

    /// <summary>A patient's problems and allergies as their chart shows them to a doctor.</summary>
    /// <exception cref="AccessDeniedException">Not the doctor's patient (nor an emergency access).</exception>
    public async Task<PatientProblemList> ForChartAsync(int patientUserId, CancellationToken ct = default)
    {
        await guard.RequireReadAsync(await currentUser.RequireAsync(Roles.Doctor), patientUserId, "problems", ct);
        return await LoadAsync(patientUserId, ct);
    }

    async Task<PatientProblemList> LoadAsync(int patientUserId, CancellationToken ct)
    {
        const string problems = $"""
            {ProblemRow.SelectSql}
            WHERE pp.patient_id = @patientUserId
            ORDER BY pp.status = 'active' DESC, pp.onset_date DESC NULLS LAST, pp.id DESC
            """;
        const string allergies = $"""
            {AllergyRow.SelectSql}
            WHERE a.patient_id = @patientUserId
            ORDER BY a.status = 'active' DESC, a.id
            """;
        return new PatientProblemList(
            await db.QueryListAsync<ProblemRow>(problems, new { patientUserId }, ct),
            await db.QueryListAsync<AllergyRow>(allergies, new { patientUserId }, ct));
    }

    /// <summary>Adds a problem (coded or not) to the patient's list, audited.</summary>
    /// <exception cref="FieldValidationException">A field is missing, too long, or the code is unknown.</exception>
    public async Task<ProblemRow> AddProblemAsync(int patientUserId, ProblemDraft draft, CancellationToken ct = default)
    {
        var doctor = await RequireCareTeamAsync(patientUserId, ct);
        var today = Today;
        var errors = new Dictionary<string, string>();
        errors.Check(nameof(draft.Description), Description, draft.Description);
        var onset = draft.OnsetDate is { } o ? DateOnly.FromDateTime(o) : (DateOnly?)null;
        if (onset > today)
            errors[nameof(draft.OnsetDate)] = "The onset cannot be in the future.";
        var code = NormalCode(draft.Icd10Code);
        if (code is not null && !await CodeExistsAsync(code, ct))
            errors[nameof(draft.Icd10Code)] = UnknownCode(code);
        if (errors.Count > 0)
            throw new FieldValidationException(errors);

        const string insert = """
            INSERT INTO patient_problems (patient_id, icd10_code, description, onset_date, recorded_by)
            VALUES (@patientUserId, @code, @description, @onset, @doctorId)
            RETURNING id
            """;
        var description = draft.Description.Trim();
        return await db.InTransactionAsync(async tx =>
        {
            var id = await tx.InsertReturningAsync<int>(insert, new { patientUserId, code, description, onset, doctorId = doctor.Id });
            await audit.WriteAsync(tx, "problem_create", EntityProblem, id, null, new
            {
                patientId = patientUserId,
                status = ProblemRow.Active,
                written = AuditLog.Written(new { description, icd10Code = code, onsetDate = onset }),
            });
            return (await tx.QueryOneAsync<ProblemRow>($"{ProblemRow.SelectSql} WHERE pp.id = @id", new { id }))!;
        }, ct: ct);
    }

    /// <summary>Codes (or re-codes) a problem with a code of the table, audited.</summary>
    public async Task<ProblemRow> CodeProblemAsync(int problemId, string? icd10Code, CancellationToken ct = default)
    {
        var code = NormalCode(icd10Code) ?? throw new FieldValidationException(new Dictionary<string, string> { ["Icd10Code"] = "Choose an ICD-10-CM code." });
        if (!await CodeExistsAsync(code, ct))
            throw new FieldValidationException(new Dictionary<string, string> { ["Icd10Code"] = UnknownCode(code) });
        const string update = "UPDATE patient_problems SET icd10_code = @code, updated_at = now() WHERE id = @problemId";
        return await ChangeProblemAsync(problemId, "problem_code", update, new { problemId, code }, _ => { }, ct);
    }

    /// <summary>Marks an active problem resolved on <paramref name="resolvedOn"/> (today when not given), audited.</summary>
    public async Task<ProblemRow> ResolveProblemAsync(int problemId, DateOnly? resolvedOn = null, CancellationToken ct = default)
    {
        var date = resolvedOn ?? Today;
        if (date > Today)
            throw new BusinessRuleException("The resolution date cannot be in the future.");
        const string update = "UPDATE patient_problems SET status = 'resolved', resolved_date = @date, updated_at = now() WHERE id = @problemId";
        return await ChangeProblemAsync(problemId, "problem_resolve", update, new { problemId, date }, row =>
        {
            if (!row.IsActive)
                throw new BusinessRuleException("This problem is already resolved.");
            if (row.OnsetDate > date)
                throw new BusinessRuleException("A problem cannot be resolved before its onset.");
        }, ct);
    }

    async Task<ProblemRow> ChangeProblemAsync(int problemId, string action, string update, object args, Action<ProblemRow> check, CancellationToken ct)
    {
        var doctor = await currentUser.RequireAsync(Roles.Doctor);
        const string current = $"{ProblemRow.SelectSql} WHERE pp.id = @problemId FOR UPDATE OF pp";
        return await db.InTransactionAsync(async tx =>
        {
            var row = await tx.QueryOneAsync<ProblemRow>(current, new { problemId })
                ?? throw new AccessDeniedException(NotYourPatient);
            await RequireCareTeamAsync(doctor, row.PatientId, ct);
            check(row);
            await tx.ExecuteAsync(update, args);
            var changed = (await tx.QueryOneAsync<ProblemRow>($"{ProblemRow.SelectSql} WHERE pp.id = @problemId", new { problemId }))!;
            await audit.WriteAsync(tx, action, EntityProblem, problemId,
                new { patientId = row.PatientId, status = row.Status },
                new { patientId = row.PatientId, status = changed.Status, changed = action == "problem_code" ? new[] { "icd10Code" } : ["status", "resolvedDate"] });
            return changed;
        }, ct: ct);
    }

    /// <summary>Records an allergy, audited; the same active substance twice is refused.</summary>
    public async Task<AllergyRow> AddAllergyAsync(int patientUserId, AllergyDraft draft, CancellationToken ct = default)
    {
        var doctor = await RequireCareTeamAsync(patientUserId, ct);
        var errors = new Dictionary<string, string>();
        errors.Check(nameof(draft.Substance), Substance, draft.Substance);
        errors.Check(nameof(draft.Reaction), Reaction, draft.Reaction);
        var severity = TextField.Clean(draft.Severity)?.ToLowerInvariant();
        if (severity is not null && !AllergyRow.Severities.Contains(severity))
            errors[nameof(draft.Severity)] = "Severity is mild, moderate or severe.";
        if (errors.Count > 0)
            throw new FieldValidationException(errors);

        const string insert = """
            INSERT INTO patient_allergies (patient_id, substance, reaction, severity, recorded_by)
            VALUES (@patientUserId, @substance, @reaction, @severity, @doctorId)
            RETURNING id
            """;
        var substance = draft.Substance.Trim();
        var reaction = TextField.Clean(draft.Reaction);
        try
        {
            return await db.InTransactionAsync(async tx =>
            {
                var id = await tx.InsertReturningAsync<int>(insert, new { patientUserId, substance, reaction, severity, doctorId = doctor.Id });
                await audit.WriteAsync(tx, "allergy_create", EntityAllergy, id, null, new
                {
                    patientId = patientUserId,
                    status = AllergyRow.Active,
                    written = AuditLog.Written(new { substance, reaction, severity }),
                });
                return (await tx.QueryOneAsync<AllergyRow>($"{AllergyRow.SelectSql} WHERE a.id = @id", new { id }))!;
            }, ct: ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new FieldValidationException(new Dictionary<string, string> { [nameof(draft.Substance)] = "This allergy is already recorded." });
        }
    }

    /// <summary>Marks an allergy inactive (entered in error, or no longer present), audited.</summary>
    public async Task<AllergyRow> InactivateAllergyAsync(int allergyId, CancellationToken ct = default)
    {
        var doctor = await currentUser.RequireAsync(Roles.Doctor);
        const string current = $"{AllergyRow.SelectSql} WHERE a.id = @allergyId FOR UPDATE OF a";
        const string update = "UPDATE patient_allergies SET status = 'inactive', updated_at = now() WHERE id = @allergyId";
        return await db.InTransactionAsync(async tx =>
        {
            var row = await tx.QueryOneAsync<AllergyRow>(current, new { allergyId })
                ?? throw new AccessDeniedException(NotYourPatient);
            await RequireCareTeamAsync(doctor, row.PatientId, ct);
            if (!row.IsActive)
                throw new BusinessRuleException("This allergy is already inactive.");
            await tx.ExecuteAsync(update, new { allergyId });
            await audit.WriteAsync(tx, "allergy_inactivate", EntityAllergy, allergyId,
                new { patientId = row.PatientId, status = row.Status }, new { patientId = row.PatientId, status = AllergyRow.Inactive });
            return (await tx.QueryOneAsync<AllergyRow>($"{AllergyRow.SelectSql} WHERE a.id = @allergyId", new { allergyId }))!;
        }, ct: ct);
    }

    public const string NotYourPatient = "You can change the problem list and allergies only of your own patients.";

    DateOnly Today => DateOnly.FromDateTime(clock.GetLocalNow().DateTime);

    async Task<PortalUser> RequireCareTeamAsync(int patientUserId, CancellationToken ct)
    {
        var doctor = await currentUser.RequireAsync(Roles.Doctor);
        await RequireCareTeamAsync(doctor, patientUserId, ct);
        return doctor;
    }

    // Break-glass is read-only: a write needs the care team.
    async Task RequireCareTeamAsync(PortalUser doctor, int patientUserId, CancellationToken ct)
    {
        if (!await careTeam.AreLinkedAsync(doctor.Id, patientUserId, ct))
            throw new AccessDeniedException(NotYourPatient);
    }

    Task<bool> CodeExistsAsync(string code, CancellationToken ct) =>
        db.QueryOneAsync<bool>("SELECT EXISTS (SELECT 1 FROM icd10_codes WHERE code = @code)", new { code }, ct);

    static string? NormalCode(string? code) => TextField.Clean(code)?.ToUpperInvariant();

    static string UnknownCode(string code) => CodeShape().IsMatch(code)
        ? $"{code} is not in the ICD-10-CM table; search by code or words and choose one."
        : "That is not an ICD-10-CM code.";

    [GeneratedRegex("^[A-Z][0-9][0-9A-Z](\\.[0-9A-Z]{1,4})?$")]
    private static partial Regex CodeShape();
}
