using System.Globalization;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Labs;
using MediConnect.Portal.Features.Shared.Notifications;
using MediConnect.Portal.Features.Shared.Notifications.Delivery;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Doctor.Labs;

/// <summary>One value typed for a test ("" leaves the test of a panel out).</summary>
public sealed record LabValueInput(string LoincCode, string Value);

/// <summary>A result or a panel a doctor enters: the tests' values, when the specimen was taken and resulted, the status.</summary>
public sealed record LabEntry(int PatientUserId, string? PanelCode, DateTime SpecimenAt, DateTime ResultedAt, string Status, IReadOnlyList<LabValueInput> Values);

/// <summary>What storing results did: the rows (with the flags the database computed) and how many doctors were told of a critical one.</summary>
public sealed record StoredLabResults(IReadOnlyList<LabResultRow> Results, int DoctorsNotified)
{
    public IEnumerable<LabResultRow> Critical => Results.Where(r => r.IsCritical);
}

/// <summary>
/// A doctor of the patient's care team enters one result or a panel (break-glass only reads).
/// The database computes each flag from the range that applies; a critical result creates an
/// in-app notification for each of the patient's doctors (and an email/SMS notice that a result
/// waits, never the value), all in the results' transaction with their audit rows.
/// </summary>
public sealed class LabResultEntry(NpgsqlDataSource db, ICurrentUser currentUser, CareTeam careTeam, AuditLog audit, TimeProvider time, NoticeQueue? notices = null)
{
    public const string CreateAction = "lab_result_create";

    public static readonly IReadOnlyList<string> Statuses = ["preliminary", "final", "corrected"];

    const string NotYours = "Only the patient's own doctors can enter their lab results.";

    /// <exception cref="FieldValidationException">A value is not a number, a test is unknown, a time is wrong, or nothing was entered.</exception>
    /// <exception cref="AccessDeniedException">Not a doctor of the patient's care team.</exception>
    public async Task<StoredLabResults> EnterAsync(LabEntry entry, CancellationToken ct = default)
    {
        var doctor = await currentUser.RequireAsync(Roles.Doctor);
        if ((await careTeam.ChartAccessAsync(doctor.Id, entry.PatientUserId, ct)).Kind != ChartAccessKind.CareTeam)
            throw new AccessDeniedException(NotYours);

        var units = await UnitsAsync(ct);
        var errors = new Dictionary<string, string>();
        var rows = new List<NewLabResult>();
        foreach (var (code, text) in entry.Values)
        {
            if (string.IsNullOrWhiteSpace(text))
                continue;
            if (!units.TryGetValue(code, out var unit))
                errors[code] = $"{code} is not a test of the catalog.";
            else if (ParseValue(text) is not { } value)
                errors[code] = $"Enter a number for {code} (for example 4.2).";
            else
                rows.Add(new NewLabResult(entry.PatientUserId, code, value, unit, entry.Status, entry.SpecimenAt, entry.ResultedAt, doctor.Id, entry.PanelCode));
        }
        if (entry.Values.All(v => string.IsNullOrWhiteSpace(v.Value)))
            errors["Values"] = "Enter at least one result.";
        foreach (var (field, message) in CheckCommon(entry.Status, entry.SpecimenAt, entry.ResultedAt))
            errors[field] = message;
        if (errors.Count > 0)
            throw new FieldValidationException(errors);

        return await db.InTransactionAsync(tx => StoreAsync(tx, rows, "manual"), ct: ct);
    }

    /// <summary>Status, specimen and result times, as both the form and the CSV import check them.</summary>
    public IEnumerable<(string Field, string Message)> CheckCommon(string status, DateTime specimenAt, DateTime resultedAt)
    {
        if (!Statuses.Contains(status))
            yield return ("Status", "The status must be preliminary, final or corrected.");
        if (resultedAt < specimenAt)
            yield return ("ResultedAt", "The result time cannot be before the specimen was taken.");
        if (resultedAt > time.GetUtcNow().UtcDateTime.AddMinutes(5))
            yield return ("ResultedAt", "The result time cannot be in the future.");
    }

    /// <summary>A number written with a dot or a comma as the decimal separator; null when it is not one.</summary>
    public static decimal? ParseValue(string text) =>
        decimal.TryParse(text.Trim().Replace(',', '.'), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
        && Math.Abs(value) < 1_000_000m ? value : null;

    public async Task<IReadOnlyDictionary<string, string>> UnitsAsync(CancellationToken ct = default) =>
        (await db.QueryListAsync<(string Code, string Unit)>("SELECT loinc_code, unit FROM lab_tests", null, ct)).ToDictionary(r => r.Code, r => r.Unit);

    const string InsertSql = """
        INSERT INTO lab_results (patient_id, loinc_code, value, unit, status, specimen_at, resulted_at, ordering_doctor_id, entered_by, panel_code, source)
        VALUES (@PatientUserId, @LoincCode, @Value, @Unit, @Status, @SpecimenAt, @ResultedAt, @OrderingDoctorId, @EnteredBy, @PanelCode, @Source)
        RETURNING id
        """;

    const string StoredSql = $"""
        {LabResultRow.SelectSql}
        WHERE r.id = ANY(@ids)
        ORDER BY r.id
        """;

    /// <summary>Stores validated results in the caller's transaction: audit rows, and the notifications of critical ones.</summary>
    internal async Task<StoredLabResults> StoreAsync(DbTransactionScope tx, IReadOnlyList<NewLabResult> rows, string source)
    {
        var enteredBy = (await currentUser.RequireAsync(Roles.Doctor)).Id;
        var ids = new List<int>();
        foreach (var row in rows)
        {
            var id = await tx.InsertReturningAsync<int>(InsertSql, new
            {
                row.PatientUserId, row.LoincCode, row.Value, row.Unit, row.Status, row.SpecimenAt, row.ResultedAt,
                row.OrderingDoctorId, EnteredBy = enteredBy, row.PanelCode, Source = source,
            });
            // Which result was written for whom, never its value.
            await audit.WriteAsync(tx, CreateAction, "lab_results", id, null, new { patientId = row.PatientUserId, source });
            ids.Add(id);
        }
        var stored = await tx.QueryListAsync<LabResultRow>(StoredSql, new { ids = ids.ToArray() });
        var notified = 0;
        foreach (var patient in stored.Where(r => r.IsCritical).GroupBy(r => r.PatientId))
            notified += await NotifyAsync(tx, patient.Key, [.. patient]);
        return new StoredLabResults(stored, notified);
    }

    const string PatientNameSql = "SELECT name FROM users WHERE id = @patientUserId";

    async Task<int> NotifyAsync(DbTransactionScope tx, int patientUserId, IReadOnlyList<LabResultRow> critical)
    {
        var name = await tx.QueryOneAsync<string>(PatientNameSql, new { patientUserId });
        var doctors = await careTeam.DoctorsOfAsync(patientUserId);
        var tests = string.Join("; ", critical.Select(r => $"{r.ShortName} {r.ValueText} {r.Unit} is {LabFlags.Text(r.Flag).ToLowerInvariant()}"));
        foreach (var doctorId in doctors)
        {
            await InAppNotification.SendAsync(tx, doctorId, $"Critical lab result: {name}", $"{name}: {tests}.",
                new { patientUserId, labResultIds = critical.Select(r => r.Id).ToArray(), link = $"/doctor/patients/{patientUserId}" }, time.GetUtcNow());
            await audit.WriteAsync(tx, "notification_create", "notifications", null, null,
                new { userId = doctorId, reason = "critical_lab_result", patientId = patientUserId });
            if (notices is not null)
                await notices.CriticalReadingAsync(tx, doctorId, patientUserId);
        }
        return doctors.Count;
    }
}

/// <summary>A validated result about to be stored.</summary>
public sealed record NewLabResult(int PatientUserId, string LoincCode, decimal Value, string Unit, string Status, DateTime SpecimenAt, DateTime ResultedAt, int OrderingDoctorId, string? PanelCode);
