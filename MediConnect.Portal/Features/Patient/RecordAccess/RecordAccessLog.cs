using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Doctor.Patients;
using MediConnect.Portal.Features.Fhir;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Patient.RecordAccess;

/// <summary>One time someone read the patient's record, as the patient sees it.</summary>
/// <param name="Who">The reader's name; "You" for the patient themselves (an app of theirs), "A closed account" when the account is gone.</param>
/// <param name="Role">The reader's role (doctor, patient), or null when the account is gone.</param>
/// <param name="What">What they read, in words.</param>
/// <param name="EmergencyReason">The written reason when it was an emergency (break-glass) read, else null.</param>
public sealed record RecordAccessEntry(long Id, DateTime At, string Who, string? Role, string What, bool Emergency, string? EmergencyReason);

/// <param name="Older">The id to pass as <c>before</c> for the next (older) page; null on the last.</param>
public sealed record RecordAccessList(IReadOnlyList<RecordAccessEntry> Entries, long? Older);

/// <summary>
/// "Who looked at my record": each time someone opened the signed-in patient's chart
/// (<c>chart_view</c>), read it under emergency access (<c>break_glass_chart_read</c>, with the
/// reason the doctor wrote), read it through the FHIR API (<c>fhir_read</c>) or downloaded one of
/// their documents (<c>document_download</c>), newest first, a page at a time by keyset on the
/// audit row's id. A patient only: the patient id comes from the sign-in, never from the page.
/// </summary>
public sealed class RecordAccessLog(NpgsqlDataSource db, ICurrentUser currentUser)
{
    public const string DocumentDownloadAction = "document_download";
    public const int PageSize = 25;

    sealed record Row(
        long Id, DateTime CreatedAt, string Action, int? UserId, string? Name, string? Role,
        string? Part, string? ResourceType, string? EmergencyReason);

    // The patient-id expression and the action list are those of audit_log_record_access_idx (migration 104).
    const string PageSql = """
        SELECT a.id, a.created_at, a.action, a.user_id, u.name, u.role,
               a.new_values->>'part' AS part, a.new_values->>'resourceType' AS resource_type,
               g.reason AS emergency_reason
        FROM audit_log a
        LEFT JOIN users u ON u.id = a.user_id
        LEFT JOIN break_glass_grants g
               ON a.action = 'break_glass_chart_read'
              AND g.id = CASE WHEN a.new_values->>'grantId' ~ '^[0-9]{1,9}$' THEN (a.new_values->>'grantId')::int END
              AND g.patient_id = @patientId
        WHERE a.action IN ('chart_view', 'break_glass_chart_read', 'fhir_read', 'document_download')
          AND (CASE WHEN a.action = 'document_download' THEN a.new_values->>'patientId'
                    WHEN a.entity_type = 'patient' THEN a.entity_id END) = @patientIdText
          AND (@before::bigint IS NULL OR a.id < @before)
        ORDER BY a.id DESC
        LIMIT @limit
        """;

    /// <summary>One page of reads of the signed-in patient's record, newest first, older than <paramref name="before"/> when given.</summary>
    /// <exception cref="AccessDeniedException">Not signed in as a patient.</exception>
    public async Task<RecordAccessList> ListAsync(long? before = null, CancellationToken ct = default)
    {
        var patient = await currentUser.RequireAsync(Roles.Patient);
        var rows = await db.QueryListAsync<Row>(PageSql,
            new { patientId = patient.Id, patientIdText = patient.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), before, limit = PageSize + 1 }, ct);
        var entries = rows.Take(PageSize).Select(r => Entry(r, patient.Id)).ToList();
        return new RecordAccessList(entries, rows.Count > PageSize ? entries[^1].Id : null);
    }

    static RecordAccessEntry Entry(Row r, int patientId)
    {
        var who = r.UserId == patientId ? "You" : r.Name ?? "A closed account";
        var emergency = r.Action == ChartAccessGuard.EmergencyReadAction;
        var what = r.Action switch
        {
            PatientChart.ViewAction when r.Part is null => "Opened your chart",
            PatientChart.ViewAction => $"Opened your chart: {Words(r.Part)}",
            ChartAccessGuard.EmergencyReadAction => $"Read your {Words(r.Part ?? "chart")}",
            FhirCaller.ReadAction => $"Read your {r.ResourceType ?? "record"} data through a connected app",
            _ => "Downloaded one of your documents",
        };
        return new RecordAccessEntry(r.Id, r.CreatedAt, who, r.Role, what, emergency, emergency ? r.EmergencyReason : null);
    }

    /// <summary>An audit part name (<c>after_visit_summary</c>) in words.</summary>
    static string Words(string part) => part.Replace('_', ' ');
}
