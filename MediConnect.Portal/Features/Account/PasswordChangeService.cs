using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Account;

/// <summary>A password change as the form sends it.</summary>
public sealed record PasswordChange(string? CurrentPassword, string? NewPassword, string? ConfirmPassword, bool SignOutOtherSessions);

/// <summary>The outcome: per-field messages when refused, else how many other sessions were ended.</summary>
public sealed record PasswordChangeResult(IReadOnlyDictionary<string, string> Errors, int OtherSessionsEnded = 0)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// The signed-in user changes their own password: the current one must verify, the new one must
/// pass <see cref="PasswordPolicy"/>; optionally every other session of theirs ends. One
/// transaction holds the change, the revocations and their audit rows.
/// </summary>
public sealed class PasswordChangeService(NpgsqlDataSource db, ICurrentUser currentUser, AuditLog audit, PasswordHasher hasher, ILogger<PasswordChangeService> logger)
{
    public async Task<PasswordChangeResult> ChangeAsync(PasswordChange change, CancellationToken ct = default)
    {
        var user = await currentUser.RequireAsync();
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrEmpty(change.CurrentPassword))
            errors[nameof(PasswordChange.CurrentPassword)] = "Enter your current password.";
        var rule = PasswordPolicy.Check(change.NewPassword, user.Email);
        if (rule is not null)
            errors[nameof(PasswordChange.NewPassword)] = rule;
        else if (change.NewPassword == change.CurrentPassword)
            errors[nameof(PasswordChange.NewPassword)] = "Choose a password different from your current one.";
        if (change.ConfirmPassword != change.NewPassword)
            errors[nameof(PasswordChange.ConfirmPassword)] = "The two new passwords do not match.";
        if (errors.Count > 0)
            return new PasswordChangeResult(errors);

        var storedHash = await db.QueryOneAsync<string>("SELECT password FROM users WHERE id = @id", new { id = user.Id }, ct)
            ?? throw new AccessDeniedException("Please sign in.");
        if (!PasswordHasher.Verify(change.CurrentPassword!, storedHash))
        {
            logger.LogWarning("Password change refused for user {UserId}: wrong current password", user.Id);
            return new PasswordChangeResult(new Dictionary<string, string> { [nameof(PasswordChange.CurrentPassword)] = "Your current password is not correct." });
        }

        var newHash = hasher.Hash(change.NewPassword!);
        var ended = await db.InTransactionAsync(async tx =>
        {
            await tx.ExecuteAsync("UPDATE users SET password = @newHash WHERE id = @id", new { id = user.Id, newHash });
            await audit.WriteAsync(tx, "password_changed", "user", user.Id, null, new { otherSessionsEnded = change.SignOutOtherSessions });
            if (!change.SignOutOtherSessions)
                return 0;
            var handles = await tx.QueryListAsync<string>("""
                DELETE FROM sessions
                WHERE user_id = @id AND sid IS DISTINCT FROM @sid
                RETURNING encode(sha256(convert_to(sid, 'UTF8')), 'hex')
                """, new { id = user.Id, sid = user.SessionId });
            foreach (var handle in handles)
                await audit.WriteAsync(tx, "session_revoked", "session", handle, null, new { reason = "password_changed" });
            return handles.Count;
        }, ct: ct);

        logger.LogInformation("User {UserId} changed their password and ended {Count} other session(s)", user.Id, ended);
        return new PasswordChangeResult(new Dictionary<string, string>(), ended);
    }
}
