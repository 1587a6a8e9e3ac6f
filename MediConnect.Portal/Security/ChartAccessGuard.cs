using Npgsql;

namespace MediConnect.Portal.Security;

/// <summary>
/// The check before every read of a patient's chart by a doctor: allowed for the patient's care
/// team; allowed under a live break-glass grant, and then audited as
/// <see cref="EmergencyReadAction"/> with the grant and the part read; refused otherwise.
/// </summary>
public sealed class ChartAccessGuard(NpgsqlDataSource db, CareTeam careTeam, AuditLog audit)
{
    public const string EmergencyReadAction = "break_glass_chart_read";

    /// <summary>Checks <paramref name="doctor"/>'s access to read <paramref name="part"/> of the chart now.</summary>
    /// <exception cref="AccessDeniedException">No access, or the emergency access has ended.</exception>
    public async Task<ChartAccess> RequireReadAsync(PortalUser doctor, int patientUserId, string part, CancellationToken ct = default)
    {
        var access = await careTeam.ChartAccessAsync(doctor.Id, patientUserId, ct);
        switch (access.Kind)
        {
            case ChartAccessKind.CareTeam:
                return access;
            case ChartAccessKind.Emergency:
                await audit.WriteAsync(db, EmergencyReadAction, "patient", patientUserId, new { grantId = access.GrantId, part });
                return access;
            case ChartAccessKind.EmergencyEnded:
                throw new AccessDeniedException(EmergencyEndedMessage);
            default:
                throw new AccessDeniedException("You do not have access to this patient's chart.");
        }
    }

    public const string EmergencyEndedMessage = "Your emergency access to this chart has ended.";
}
