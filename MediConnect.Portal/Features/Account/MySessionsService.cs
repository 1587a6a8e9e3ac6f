using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Account;

/// <summary>One of the user's live sessions. <see cref="Handle"/> names it without revealing its key.</summary>
public sealed record SessionSummary(string Handle, DateTime CreatedAt, DateTime LastSeenAt, DateTime ExpiresAt, string? IpAddress, string? UserAgent, bool IsCurrent);

/// <summary>The signed-in user's own sessions: list them and end any of them (audited as <c>session_revoked</c>).</summary>
public sealed class MySessionsService(NpgsqlDataSource db, ICurrentUser currentUser, AuditLog audit, TimeProvider time)
{
    sealed record Row(string Handle, DateTime CreatedAt, DateTime LastSeenAt, DateTime ExpiresAt, string? IpAddress, string? UserAgent);

    public async Task<IReadOnlyList<SessionSummary>> ListAsync(CancellationToken ct = default)
    {
        const string sql = """
            SELECT encode(sha256(convert_to(sid, 'UTF8')), 'hex') AS handle, created_at, last_seen_at, expires_at, ip_address, user_agent
            FROM sessions
            WHERE user_id = @userId AND expires_at > @now
            ORDER BY last_seen_at DESC
            """;
        var user = await currentUser.RequireAsync();
        var current = user.SessionId is null ? null : SessionKey.Handle(user.SessionId);
        var rows = await db.QueryListAsync<Row>(sql, new { userId = user.Id, now = time.GetUtcNow().UtcDateTime }, ct);
        return [.. rows.Select(r => new SessionSummary(r.Handle, r.CreatedAt, r.LastSeenAt, r.ExpiresAt, r.IpAddress, r.UserAgent, r.Handle == current))];
    }

    /// <summary>Ends the user's session named <paramref name="handle"/>; false when no such session of theirs is live.</summary>
    public async Task<bool> EndAsync(string handle, CancellationToken ct = default)
    {
        const string sql = """
            DELETE FROM sessions
            WHERE user_id = @userId AND encode(sha256(convert_to(sid, 'UTF8')), 'hex') = @handle
            """;
        var user = await currentUser.RequireAsync();
        return await db.InTransactionAsync(async tx =>
        {
            if (await tx.ExecuteAsync(sql, new { userId = user.Id, handle }) == 0)
                return false;
            await audit.WriteAsync(tx, "session_revoked", "session", handle, null,
                new { reason = user.SessionId is not null && SessionKey.Handle(user.SessionId) == handle ? "signed_out_here" : "ended_by_user" });
            return true;
        }, ct: ct);
    }

    /// <summary>Ends every session of the user but the current one; returns how many.</summary>
    public async Task<int> EndOthersAsync(CancellationToken ct = default)
    {
        const string sql = """
            DELETE FROM sessions
            WHERE user_id = @userId AND sid IS DISTINCT FROM @sid
            RETURNING encode(sha256(convert_to(sid, 'UTF8')), 'hex')
            """;
        var user = await currentUser.RequireAsync();
        return await db.InTransactionAsync(async tx =>
        {
            var handles = await tx.QueryListAsync<string>(sql, new { userId = user.Id, sid = user.SessionId });
            foreach (var handle in handles)
                await audit.WriteAsync(tx, "session_revoked", "session", handle, null, new { reason = "ended_by_user" });
            return handles.Count;
        }, ct: ct);
    }
}
