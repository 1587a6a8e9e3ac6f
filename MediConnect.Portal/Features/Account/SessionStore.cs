using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Npgsql;

namespace MediConnect.Portal.Features.Account;

/// <summary>
/// The server side of sign-in sessions: the authentication ticket lives in <c>sessions</c> and
/// the cookie carries only its key, so deleting the row ends the session everywhere (sign-out,
/// revocation) and every portal instance sees the same sessions.
/// A session ends after <see cref="SignInSettings.IdleTimeout"/> without requests and
/// <see cref="SignInSettings.AbsoluteTimeout"/> after sign-in: <c>expires_at</c> always holds
/// the earlier of the two, and a request moves it on.
/// </summary>
public sealed class SessionStore(NpgsqlDataSource db, SignInSettings settings, TimeProvider time) : ITicketStore
{
    /// <summary>Requests within this long of the last recorded one do not rewrite the row.</summary>
    static readonly TimeSpan TouchGranularity = TimeSpan.FromSeconds(10);

    DateTime Now => time.GetUtcNow().UtcDateTime;

    public Task<string> StoreAsync(AuthenticationTicket ticket) => StoreAsync(ticket, CancellationToken.None);

    public async Task<string> StoreAsync(AuthenticationTicket ticket, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO sessions (sid, user_id, ticket, created_at, last_seen_at, expires_at, ip_address, user_agent)
            VALUES (@sid, @userId, @ticket, @now, @now, @expiresAt, @ipAddress, @userAgent)
            """;
        var user = CurrentUser.FromPrincipal(ticket.Principal)
            ?? throw new InvalidOperationException("A session needs a signed-in portal user.");
        var sid = user.SessionId ?? SessionKey.New();
        var now = Now;
        await db.ExecuteAsync(sql, new
        {
            sid,
            userId = user.Id,
            ticket = TicketSerializer.Default.Serialize(ticket),
            now,
            expiresAt = now + Min(settings.IdleTimeout, settings.AbsoluteTimeout),
            ipAddress = user.IpAddress,
            userAgent = user.UserAgent,
        }, cancellationToken);
        return sid;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) => RenewAsync(key, ticket, CancellationToken.None);

    public Task RenewAsync(string key, AuthenticationTicket ticket, CancellationToken cancellationToken) =>
        db.ExecuteAsync("UPDATE sessions SET ticket = @ticket WHERE sid = @key",
            new { key, ticket = TicketSerializer.Default.Serialize(ticket) }, cancellationToken);

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => RetrieveAsync(key, CancellationToken.None);

    /// <summary>The live session's ticket, counting this request as activity; null when the session ended or its user was deactivated.</summary>
    public async Task<AuthenticationTicket?> RetrieveAsync(string key, CancellationToken cancellationToken)
    {
        const string sql = """
            WITH live AS (
                SELECT s.sid, s.ticket, s.last_seen_at
                FROM sessions s
                JOIN users u ON u.id = s.user_id
                WHERE s.sid = @key AND s.expires_at > @now AND u.is_active
            ), touched AS (
                UPDATE sessions s
                SET last_seen_at = @now, expires_at = LEAST(s.created_at + @absolute, @now + @idle)
                FROM live
                WHERE s.sid = live.sid AND live.last_seen_at <= @now - @granularity
            )
            SELECT ticket FROM live
            """;
        var bytes = await db.QueryOneAsync<byte[]>(sql, new
        {
            key,
            now = Now,
            absolute = settings.AbsoluteTimeout,
            idle = settings.IdleTimeout,
            granularity = TouchGranularity,
        }, cancellationToken);
        return bytes is null ? null : TicketSerializer.Default.Deserialize(bytes);
    }

    public Task RemoveAsync(string key) => RemoveAsync(key, CancellationToken.None);

    public Task RemoveAsync(string key, CancellationToken cancellationToken) =>
        db.ExecuteAsync("DELETE FROM sessions WHERE sid = @key", new { key }, cancellationToken);

    /// <summary>When the live session <paramref name="sid"/> will end if nothing happens; null when it has ended.</summary>
    public Task<DateTime?> EndsAtAsync(string sid, CancellationToken ct = default)
    {
        const string sql = """
            SELECT s.expires_at
            FROM sessions s
            JOIN users u ON u.id = s.user_id
            WHERE s.sid = @sid AND s.expires_at > @now AND u.is_active
            """;
        return db.QueryOneAsync<DateTime?>(sql, new { sid, now = Now }, ct);
    }

    /// <summary>Counts as activity now ("stay signed in"); returns the new end, or null when the session has already ended.</summary>
    public Task<DateTime?> TouchAsync(string sid, CancellationToken ct = default)
    {
        const string sql = """
            UPDATE sessions s
            SET last_seen_at = @now, expires_at = LEAST(s.created_at + @absolute, @now + @idle)
            FROM users u
            WHERE s.sid = @sid AND s.expires_at > @now AND u.id = s.user_id AND u.is_active
            RETURNING s.expires_at
            """;
        return db.QueryOneAsync<DateTime?>(sql, new { sid, now = Now, absolute = settings.AbsoluteTimeout, idle = settings.IdleTimeout }, ct);
    }

    /// <summary>Deletes every ended session; returns how many.</summary>
    public Task<int> DeleteExpiredAsync(CancellationToken ct = default) =>
        db.ExecuteAsync("DELETE FROM sessions WHERE expires_at <= @now", new { now = Now }, ct);

    static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}

/// <summary>Points the cookie handler at <see cref="SessionStore"/>.</summary>
sealed class UseSessionStore(SessionStore store) : Microsoft.Extensions.Options.IPostConfigureOptions<CookieAuthenticationOptions>
{
    public void PostConfigure(string? name, CookieAuthenticationOptions options) => options.SessionStore = store;
}
