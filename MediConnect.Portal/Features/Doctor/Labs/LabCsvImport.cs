using System.Globalization;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Labs;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Doctor.Labs;

/// <summary>What is wrong with one line of a lab's file (line 1 is the header).</summary>
public sealed record CsvLineError(int Line, string Message);

/// <summary>The import's report: either every line stored, or the errors and nothing stored.</summary>
public sealed record LabImportReport(int Lines, IReadOnlyList<CsvLineError> Errors, StoredLabResults? Stored)
{
    public bool Imported => Stored is not null;
}

/// <summary>
/// Imports the CSV file a lab sends (<see cref="Header"/>): every line is checked first — the
/// patient (email and date of birth must match, and be of the importing doctor's care team), the
/// test, its unit, the value, the times and the status — and the report names each bad line. Only a
/// file without errors is stored, in one transaction: nothing is ever half-imported.
/// </summary>
public sealed class LabCsvImport(NpgsqlDataSource db, ICurrentUser currentUser, CareTeam careTeam, LabResultEntry entry)
{
    public const string Header = "patient_email,date_of_birth,loinc_code,value,unit,specimen_time,result_time,status";

    /// <summary>Lines beyond this are refused as a whole (a lab's daily file is far smaller).</summary>
    public const int MaxLines = 5000;

    sealed record Line(string patient_email, string date_of_birth, string loinc_code, string value, string unit, string specimen_time, string result_time, string status);

    const string PatientSql = """
        SELECT u.id FROM users u JOIN patients p ON p.user_id = u.id
        WHERE u.email = lower(@email) AND u.role = 'patient' AND p.date_of_birth = @dateOfBirth
        """;

    public async Task<LabImportReport> ImportAsync(TextReader csv, CancellationToken ct = default)
    {
        var doctor = await currentUser.RequireAsync(Roles.Doctor);
        var units = await entry.UnitsAsync(ct);
        var errors = new List<CsvLineError>();
        var rows = new List<NewLabResult>();
        var patients = new Dictionary<(string, string), int?>();

        if ((await csv.ReadLineAsync(ct))?.Trim().TrimStart('\uFEFF') != Header)
            return new LabImportReport(0, [new CsvLineError(1, $"The first line must be the header: {Header}")], null);

        var lineNumber = 1;
        while (await csv.ReadLineAsync(ct) is { } text)
        {
            lineNumber++;
            if (lineNumber > MaxLines + 1)
                return new LabImportReport(lineNumber - 1, [new CsvLineError(lineNumber, $"The file has more than {MaxLines} results; split it.")], null);
            if (string.IsNullOrWhiteSpace(text))
                continue;
            var fields = Fields(text);
            if (fields.Count != 8)
            {
                errors.Add(new CsvLineError(lineNumber, $"expected 8 fields, found {fields.Count}"));
                continue;
            }
            var line = new Line(fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], fields[6], fields[7]);
            var problems = new List<string>();

            int? patientId = null;
            if (!DateOnly.TryParseExact(line.date_of_birth ?? "", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dateOfBirth))
                problems.Add("date_of_birth must be a date like 1980-03-14");
            else
            {
                var key = ((line.patient_email ?? "").ToLowerInvariant(), line.date_of_birth!);
                if (!patients.TryGetValue(key, out patientId))
                    patients[key] = patientId = await db.QueryOneAsync<int?>(PatientSql, new { email = key.Item1, dateOfBirth }, ct);
                if (patientId is null)
                    problems.Add("no patient has this email and date of birth");
                else if ((await careTeam.ChartAccessAsync(doctor.Id, patientId.Value, ct)).Kind != ChartAccessKind.CareTeam)
                    problems.Add("this patient is not one of yours");
            }
            if (!units.TryGetValue(line.loinc_code ?? "", out var unit))
                problems.Add($"{line.loinc_code} is not a test of the catalog");
            else if (line.unit != unit)
                problems.Add($"the unit of {line.loinc_code} must be {unit}, not {line.unit}");
            var value = LabResultEntry.ParseValue(line.value ?? "");
            if (value is null)
                problems.Add("value must be a number");
            var specimen = Instant(line.specimen_time, "specimen_time", problems);
            var resulted = Instant(line.result_time, "result_time", problems);
            if (specimen is { } s && resulted is { } r)
                problems.AddRange(entry.CheckCommon(line.status ?? "", s, r).Select(c => c.Message));
            else if (!LabResultEntry.Statuses.Contains(line.status ?? ""))
                problems.Add("The status must be preliminary, final or corrected.");

            if (problems.Count > 0)
                errors.Add(new CsvLineError(lineNumber, string.Join("; ", problems)));
            else
                rows.Add(new NewLabResult(patientId!.Value, line.loinc_code!, value!.Value, unit!, line.status!, specimen!.Value, resulted!.Value, doctor.Id, null));
        }
        if (errors.Count == 0 && rows.Count == 0)
            errors.Add(new CsvLineError(2, "The file has no results."));
        if (errors.Count > 0)
            return new LabImportReport(lineNumber - 1, errors, null);

        var stored = await db.InTransactionAsync(tx => entry.StoreAsync(tx, rows, "csv_import"), ct: ct);
        return new LabImportReport(lineNumber - 1, [], stored);
    }

    // Comma-separated fields; a field in double quotes may hold commas ("" is a quote). Labs send no line breaks inside fields.
    static List<string> Fields(string text)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted && c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                (field, i) = (field.Append('"'), i + 1);
            else if (c == '"')
                quoted = !quoted;
            else if (c == ',' && !quoted)
                (fields, field) = (Add(fields, field), new System.Text.StringBuilder());
            else
                field.Append(c);
        }
        return Add(fields, field);
    }

    static List<string> Add(List<string> fields, System.Text.StringBuilder field)
    {
        fields.Add(field.ToString().Trim());
        return fields;
    }

    // A moment with its UTC offset ("2026-12-07T08:30:00Z", "…+01:00"): a lab's clock is not ours.
    static DateTime? Instant(string? text, string column, List<string> problems)
    {
        if (DateTimeOffset.TryParseExact(text ?? "", ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            && (text!.EndsWith('Z') || text.Contains('+') || text.LastIndexOf('-') > 9))
            return at.UtcDateTime;
        problems.Add($"{column} must be a time with its offset, like 2026-12-07T08:30:00Z");
        return null;
    }
}
