using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Admin.BreakGlass;

/// <summary>A break-glass grant waiting for an admin's review, with how many chart reads were made under it.</summary>
public sealed record GrantAwaitingReview(
    int Id,
    int DoctorId,
    string DoctorName,
    int PatientId,
    string PatientName,
    string Reason,
    DateTime GrantedAt,
    DateTime ExpiresAt,
    long Reads);

/// <summary>
/// Admins review every break-glass grant: the admin home lists those of the last
/// <see cref="Window"/> not yet reviewed; marking one reviewed (with an optional note) is audited
/// as <see cref="ReviewedAction"/> and happens once.
/// </summary>
public sealed class BreakGlassReview(NpgsqlDataSource db, ICurrentUser currentUser, AuditLog audit, TimeProvider time)
{
    public const string ReviewedAction = "break_glass_reviewed";
    public const int MaxNoteLength = 2000;
    public static readonly TimeSpan Window = TimeSpan.FromDays(7);

    public async Task<IReadOnlyList<GrantAwaitingReview>> AwaitingAsync(CancellationToken ct = default)
    {
        const string sql = $"""
            SELECT g.id, g.doctor_id, d.name AS doctor_name, g.patient_id, p.name AS patient_name, g.reason, g.granted_at, g.expires_at,
                   (SELECT count(*) FROM audit_log a
                    WHERE a.entity_type = 'patient' AND a.entity_id = g.patient_id::text AND a.user_id = g.doctor_id
                      AND a.action = '{ChartAccessGuard.EmergencyReadAction}' AND a.new_values ->> 'grantId' = g.id::text) AS reads
            FROM break_glass_grants g
            JOIN users d ON d.id = g.doctor_id
            JOIN users p ON p.id = g.patient_id
            WHERE g.reviewed_at IS NULL AND g.granted_at >= @since
            ORDER BY g.granted_at DESC, g.id DESC
            """;
        await currentUser.RequireAsync(Roles.Admin);
        return await db.QueryListAsync<GrantAwaitingReview>(sql, new { since = (time.GetUtcNow() - Window).UtcDateTime }, ct);
    }

    /// <exception cref="BusinessRuleException">The grant does not exist or was already reviewed (nothing written).</exception>
    public async Task MarkReviewedAsync(int grantId, string? note, CancellationToken ct = default)
    {
        const string sql = """
            UPDATE break_glass_grants SET reviewed_at = @now, reviewed_by = @adminId, review_note = @note
            WHERE id = @grantId AND reviewed_at IS NULL
            """;
        var admin = await currentUser.RequireAsync(Roles.Admin);
        var text = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (text is { Length: > MaxNoteLength })
            throw new BusinessRuleException($"Keep the note under {MaxNoteLength} characters.");
        await db.InTransactionAsync(async tx =>
        {
            if (await tx.ExecuteAsync(sql, new { grantId, now = time.GetUtcNow().UtcDateTime, adminId = admin.Id, note = text }) == 0)
                throw new BusinessRuleException("That grant was already reviewed.");
            await audit.WriteAsync(tx, ReviewedAction, "break_glass_grant", grantId, null, new { note = text });
        }, ct: ct);
    }
}
