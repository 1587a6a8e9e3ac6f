using System.Globalization;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Notifications;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Doctor.Patients;

/// <summary>How long a break-glass grant lasts (<c>BREAK_GLASS_MINUTES</c>, 60; 5 to 720).</summary>
public sealed record BreakGlassSettings(TimeSpan Duration)
{
    public BreakGlassSettings() : this(TimeSpan.FromMinutes(60)) { }

    /// <exception cref="PortalConfigurationException">BREAK_GLASS_MINUTES is malformed or out of range.</exception>
    public static BreakGlassSettings From(IConfiguration config) =>
        new(TimeSpan.FromMinutes(DatabaseSettings.ReadInt(config, "BREAK_GLASS_MINUTES", 60, 5, 720)));
}

/// <summary>A live break-glass grant: read access to one chart until <see cref="ExpiresAt"/>.</summary>
public sealed record EmergencyGrant(int Id, DateTime GrantedAt, DateTime ExpiresAt);

/// <summary>
/// Break-glass: a doctor outside a patient's care team opens that one chart in an emergency, with
/// a written reason, read-only, for <see cref="BreakGlassSettings.Duration"/>. The grant, its audit
/// row (<c>break_glass_granted</c>) and a notification to each of the patient's doctors commit
/// together; an admin reviews every grant afterwards.
/// </summary>
public sealed class EmergencyAccess(NpgsqlDataSource db, ICurrentUser currentUser, CareTeam careTeam, AuditLog audit,
    BreakGlassSettings settings, TimeProvider time, ILogger<EmergencyAccess> logger)
{
    public const string GrantedAction = "break_glass_granted";
    public const int MinReasonLength = 20;
    public const int MaxReasonLength = 2000;

    /// <summary>The reason's text rule: several lines, no control character, nothing that reorders text on screen.</summary>
    public static readonly TextField ReasonField = new("The reason", MaxReasonLength, TextKind.SharedLines);

    /// <summary>
    /// Null when <paramref name="reason"/> may open a chart, else the message to show: at least
    /// <see cref="MinReasonLength"/> letters or digits (spaces, punctuation and invisible characters
    /// do not count, so a reason of zero-width spaces or bells cannot pass) and the shared text rule.
    /// </summary>
    public static string? ReasonError(string? reason) =>
        ReasonField.Error(reason)
        ?? (TextField.VisibleLettersAndDigits(reason) < MinReasonLength
            ? $"Say why this is an emergency, in at least {MinReasonLength} letters or digits (spaces, punctuation and invisible characters do not count)."
            : null);

    const string ActivePatientSql = "SELECT name FROM users WHERE id = @patientUserId AND role = 'patient' AND is_active";

    /// <summary>Whether the signed-in user may ask for emergency access to this chart: a doctor outside the care team of an active patient.</summary>
    public async Task<bool> CanRequestAsync(int patientUserId, CancellationToken ct = default)
    {
        var user = await currentUser.GetAsync();
        return user is { IsDoctor: true }
            && await db.QueryOneAsync<string>(ActivePatientSql, new { patientUserId }, ct) is not null
            && (await careTeam.ChartAccessAsync(user.Id, patientUserId, ct)).Kind is ChartAccessKind.None or ChartAccessKind.EmergencyEnded;
    }

    /// <summary>Grants the signed-in doctor read access to the chart; a live grant of theirs is returned as it is.</summary>
    /// <exception cref="FieldValidationException">The reason fails <see cref="ReasonError"/> (nothing written).</exception>
    /// <exception cref="BusinessRuleException">Not a patient's chart that needs emergency access.</exception>
    public async Task<EmergencyGrant> RequestAsync(int patientUserId, string? reason, CancellationToken ct = default)
    {
        var doctor = await currentUser.RequireAsync(Roles.Doctor);
        if (ReasonError(reason) is { } error)
            throw new FieldValidationException(new Dictionary<string, string> { ["Reason"] = error });
        var text = TextField.Clean(reason)!;
        var patientName = await db.QueryOneAsync<string>(ActivePatientSql, new { patientUserId }, ct)
            ?? throw new BusinessRuleException("This patient's chart is not available.");
        var access = await careTeam.ChartAccessAsync(doctor.Id, patientUserId, ct);
        if (access.Kind == ChartAccessKind.CareTeam)
            throw new BusinessRuleException("You are one of this patient's doctors: open the chart as usual.");
        if (access is { Kind: ChartAccessKind.Emergency, GrantId: { } liveId })
            return (await db.QueryOneAsync<EmergencyGrant>("SELECT id, granted_at, expires_at FROM break_glass_grants WHERE id = @liveId", new { liveId }, ct))!;

        const string insertSql = """
            INSERT INTO break_glass_grants (doctor_id, patient_id, reason, granted_at, expires_at, ip_address)
            VALUES (@doctorId, @patientUserId, @text, @now, @expiresAt, @ip)
            RETURNING id, granted_at, expires_at
            """;
        var now = time.GetUtcNow();
        var careTeamDoctors = await careTeam.DoctorsOfAsync(patientUserId, ct);
        var grant = await db.InTransactionAsync(async tx =>
        {
            var grant = await tx.InsertReturningAsync<EmergencyGrant>(insertSql,
                new { doctorId = doctor.Id, patientUserId, text, now = now.UtcDateTime, expiresAt = (now + settings.Duration).UtcDateTime, ip = doctor.IpAddress });
            await audit.WriteAsync(tx, GrantedAction, "patient", patientUserId, null,
                new { grantId = grant.Id, reason = text, expiresAt = grant.ExpiresAt });
            foreach (var doctorId in careTeamDoctors)
                await InAppNotification.SendAsync(tx, doctorId, "Emergency access to your patient's chart",
                    $"{doctor.Name} opened {patientName}'s chart under emergency access until {grant.ExpiresAt:HH:mm} UTC. Reason: {text}",
                    new { grantId = grant.Id, patientId = patientUserId }, now);
            return grant;
        }, ct: ct);

        logger.LogWarning("Break-glass: doctor {DoctorId} was granted emergency access to patient {PatientId} until {ExpiresAt} (grant {GrantId})",
            doctor.Id, patientUserId, grant.ExpiresAt.ToString("O", CultureInfo.InvariantCulture), grant.Id);
        return grant;
    }
}
