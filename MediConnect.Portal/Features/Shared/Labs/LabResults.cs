using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Shared.Labs;

/// <summary>
/// Reads lab results: the catalog (anyone signed in), a patient's own results, and a chart's
/// results for a doctor who may read the chart (<see cref="ChartAccessGuard"/>: care team, or a
/// live break-glass grant, which it audits).
/// </summary>
public sealed class LabResults(NpgsqlDataSource db, ICurrentUser currentUser, ChartAccessGuard guard)
{
    const string TestsSql = "SELECT loinc_code, name, short_name, unit, decimals FROM lab_tests ORDER BY short_name";

    const string PanelsSql = """
        SELECT p.code, p.name, pt.loinc_code
        FROM lab_panels p JOIN lab_panel_tests pt ON pt.panel_code = p.code
        ORDER BY p.name, pt.position
        """;

    sealed record PanelRow(string Code, string Name, string LoincCode);

    public async Task<IReadOnlyList<LabTest>> TestsAsync(CancellationToken ct = default)
    {
        await currentUser.RequireAsync();
        return await db.QueryListAsync<LabTest>(TestsSql, null, ct);
    }

    public async Task<IReadOnlyList<LabPanel>> PanelsAsync(CancellationToken ct = default)
    {
        await currentUser.RequireAsync();
        var rows = await db.QueryListAsync<PanelRow>(PanelsSql, null, ct);
        return [.. rows.GroupBy(r => (r.Code, r.Name)).Select(g => new LabPanel(g.Key.Code, g.Key.Name, [.. g.Select(r => r.LoincCode)]))];
    }

    const string OfPatientSql = $"""
        {LabResultRow.SelectSql}
        WHERE r.patient_id = @patientUserId
        ORDER BY r.specimen_at DESC, r.id DESC
        LIMIT 500
        """;

    /// <summary>The signed-in patient's results, newest first.</summary>
    public async Task<IReadOnlyList<LabResultRow>> MineAsync(CancellationToken ct = default)
    {
        var patient = await currentUser.RequireAsync(Roles.Patient);
        return await db.QueryListAsync<LabResultRow>(OfPatientSql, new { patientUserId = patient.Id }, ct);
    }

    /// <summary>The chart's results, newest first.</summary>
    /// <exception cref="AccessDeniedException">Not one of the patient's doctors, and no live emergency access.</exception>
    public async Task<IReadOnlyList<LabResultRow>> ForChartAsync(int patientUserId, CancellationToken ct = default)
    {
        var doctor = await currentUser.RequireAsync(Roles.Doctor);
        await guard.RequireReadAsync(doctor, patientUserId, "labs", ct);
        return await db.QueryListAsync<LabResultRow>(OfPatientSql, new { patientUserId }, ct);
    }
}
