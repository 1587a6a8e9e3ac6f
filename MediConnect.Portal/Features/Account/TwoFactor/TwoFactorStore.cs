using System.Security.Cryptography;
using System.Text;
using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Npgsql;

namespace MediConnect.Portal.Features.Account.TwoFactor;

/// <summary>Whether a user has an authenticator, since when, and how many recovery codes are left.</summary>
public sealed record TwoFactorStatus(bool Enrolled, DateTime? EnrolledAt, int RecoveryCodesLeft);

/// <summary>An authenticator being set up: its secret, shown in text and as a QR code until a first code confirms it.</summary>
public sealed record AuthenticatorSetup(string Secret, string SetupUri)
{
    public string GroupedSecret => Authenticator.Grouped(Secret);

    public string QrCodeDataUri => Authenticator.QrCodeDataUri(SetupUri);
}

public enum CodeCheck
{
    Accepted,
    Wrong,
    /// <summary>Right, but that code (or a later one) was already accepted: a code works once.</summary>
    Replayed,
    /// <summary>The secret cannot be decrypted (its Data Protection key or the key's certificate is gone).</summary>
    Unreadable,
}

/// <summary>
/// The second factors of users, by user id (callers decide who may act on whom): the authenticator
/// secret, encrypted with the Data Protection keys and re-encrypted with the newest key when it is
/// read under an older one; replay-safe code checks (the accepted time step is recorded in the
/// same statement that checks it); recovery codes kept as digests, each usable once. Every change
/// commits together with the audit row the caller gives.
/// </summary>
public sealed class TwoFactorStore(NpgsqlDataSource db, IDataProtectionProvider protection, TimeProvider time, ILogger<TwoFactorStore> logger)
{
    const string Purpose = "MediConnect.TwoFactor.Secret.v1";

    sealed record SecretRow(string SecretProtected, DateTime? ConfirmedAt);

    IDataProtector Protector => protection.CreateProtector(Purpose);

    DateTime Now => time.GetUtcNow().UtcDateTime;

    public async Task<TwoFactorStatus> StatusAsync(int userId, CancellationToken ct = default)
    {
        const string sql = """
            SELECT t.confirmed_at IS NOT NULL AS enrolled, t.confirmed_at AS enrolled_at,
                   (SELECT count(*)::int FROM two_factor_recovery_codes c WHERE c.user_id = @userId AND c.used_at IS NULL) AS recovery_codes_left
            FROM (SELECT 1) one
            LEFT JOIN user_two_factor t ON t.user_id = @userId
            """;
        return (await db.QueryOneAsync<TwoFactorStatus>(sql, new { userId }, ct))!;
    }

    /// <summary>The set-up waiting for its first code (started now when there is none); null when the user already has an authenticator.</summary>
    public async Task<AuthenticatorSetup?> BeginSetupAsync(int userId, string email, CancellationToken ct = default)
    {
        const string startSql = """
            INSERT INTO user_two_factor (user_id, secret_protected) VALUES (@userId, @secret)
            ON CONFLICT (user_id) DO NOTHING
            """;
        await db.ExecuteAsync(startSql, new { userId, secret = Protector.Protect(Authenticator.NewSecret()) }, ct);
        var row = await db.QueryOneAsync<SecretRow>("SELECT secret_protected, confirmed_at FROM user_two_factor WHERE user_id = @userId", new { userId }, ct);
        if (row is null || row.ConfirmedAt is not null)
            return null;
        var secret = await RevealAsync(userId, row.SecretProtected, ct);
        if (secret is null)
        {
            // A set-up whose key is gone cannot be finished: start it afresh.
            secret = Authenticator.NewSecret();
            await db.ExecuteAsync("UPDATE user_two_factor SET secret_protected = @secret WHERE user_id = @userId AND confirmed_at IS NULL",
                new { userId, secret = Protector.Protect(secret) }, ct);
        }
        return new AuthenticatorSetup(secret, Authenticator.SetupUri(secret, email));
    }

    /// <summary>
    /// Confirms the set-up with its first code: the authenticator counts from now, that code's step
    /// is used, and ten new recovery codes replace any old ones. Returns the codes (to show once),
    /// or null when the code is wrong or there is no set-up waiting.
    /// </summary>
    public async Task<IReadOnlyList<string>?> ConfirmSetupAsync(int userId, string? code, AuditEntry audit, CancellationToken ct = default)
    {
        const string confirmSql = """
            UPDATE user_two_factor SET confirmed_at = @now, last_used_step = @step
            WHERE user_id = @userId AND confirmed_at IS NULL AND secret_protected = @secretProtected
            """;
        var row = await db.QueryOneAsync<SecretRow>("SELECT secret_protected, confirmed_at FROM user_two_factor WHERE user_id = @userId", new { userId }, ct);
        if (row is null || row.ConfirmedAt is not null || await RevealAsync(userId, row.SecretProtected, ct) is not { } secret
            || Authenticator.MatchingStep(secret, code, time.GetUtcNow()) is not { } step)
            return null;

        var codes = RecoveryCodes.Generate();
        var confirmed = await db.InTransactionAsync(async tx =>
        {
            if (await tx.ExecuteAsync(confirmSql, new { userId, now = Now, step, secretProtected = row.SecretProtected }) == 0)
                return false; // confirmed or restarted by another request meanwhile
            await StoreRecoveryCodesAsync(tx, userId, codes);
            await AuditLog.WriteAsync(tx, audit with { NewValues = new { recoveryCodes = codes.Count } });
            return true;
        }, ct: ct);
        return confirmed ? codes : null;
    }

    /// <summary>Checks an authenticator code of an enrolled user; an accepted code (and every earlier one) never works again.</summary>
    public async Task<CodeCheck> AcceptCodeAsync(int userId, string? code, CancellationToken ct = default)
    {
        // The check and the record of the step are one statement: two requests with the same code cannot both pass.
        const string useStepSql = """
            UPDATE user_two_factor SET last_used_step = @step
            WHERE user_id = @userId AND confirmed_at IS NOT NULL AND (last_used_step IS NULL OR last_used_step < @step)
            """;
        var row = await db.QueryOneAsync<SecretRow>(
            "SELECT secret_protected, confirmed_at FROM user_two_factor WHERE user_id = @userId AND confirmed_at IS NOT NULL", new { userId }, ct);
        if (row is null)
            return CodeCheck.Wrong;
        if (await RevealAsync(userId, row.SecretProtected, ct) is not { } secret)
            return CodeCheck.Unreadable;
        if (Authenticator.MatchingStep(secret, code, time.GetUtcNow()) is not { } step)
            return CodeCheck.Wrong;
        return await db.ExecuteAsync(useStepSql, new { userId, step }, ct) == 1 ? CodeCheck.Accepted : CodeCheck.Replayed;
    }

    /// <summary>Uses one of the user's recovery codes (and writes <paramref name="audit"/> with it); false when it is not one of theirs or was used.</summary>
    public Task<bool> UseRecoveryCodeAsync(int userId, string? code, AuditEntry audit, CancellationToken ct = default)
    {
        const string useSql = """
            UPDATE two_factor_recovery_codes SET used_at = @now
            WHERE user_id = @userId AND code_hash = @digest AND used_at IS NULL
            """;
        const string leftSql = "SELECT count(*)::int FROM two_factor_recovery_codes WHERE user_id = @userId AND used_at IS NULL";
        if (RecoveryCodes.Normalize(code).Length == 0)
            return Task.FromResult(false);
        return db.InTransactionAsync(async tx =>
        {
            if (await tx.ExecuteAsync(useSql, new { userId, digest = RecoveryCodes.Digest(userId, code!), now = Now }) == 0)
                return false;
            var left = await tx.QueryOneAsync<int>(leftSql, new { userId });
            await AuditLog.WriteAsync(tx, audit with { NewValues = new { recoveryCodesLeft = left } });
            return true;
        }, ct: ct);
    }

    /// <summary>Ten new recovery codes replace the user's old ones (used or not); returns them, to show once.</summary>
    public async Task<IReadOnlyList<string>> ReplaceRecoveryCodesAsync(int userId, AuditEntry audit, CancellationToken ct = default)
    {
        var codes = RecoveryCodes.Generate();
        await db.InTransactionAsync(async tx =>
        {
            await StoreRecoveryCodesAsync(tx, userId, codes);
            await AuditLog.WriteAsync(tx, audit with { NewValues = new { recoveryCodes = codes.Count } });
        }, ct: ct);
        return codes;
    }

    /// <summary>Removes the user's authenticator and recovery codes.</summary>
    public Task RemoveAsync(int userId, AuditEntry audit, CancellationToken ct = default) =>
        db.InTransactionAsync(async tx =>
        {
            await tx.ExecuteAsync("DELETE FROM two_factor_recovery_codes WHERE user_id = @userId", new { userId });
            await tx.ExecuteAsync("DELETE FROM user_two_factor WHERE user_id = @userId", new { userId });
            await AuditLog.WriteAsync(tx, audit);
        }, ct: ct);

    static async Task StoreRecoveryCodesAsync(DbTransactionScope tx, int userId, IReadOnlyList<string> codes)
    {
        await tx.ExecuteAsync("DELETE FROM two_factor_recovery_codes WHERE user_id = @userId", new { userId });
        await tx.ExecuteAsync("INSERT INTO two_factor_recovery_codes (user_id, code_hash) SELECT @userId, unnest(@digests)",
            new { userId, digests = codes.Select(c => RecoveryCodes.Digest(userId, c)).ToArray() });
    }

    /// <summary>
    /// The secret in clear, or null when it cannot be decrypted. A secret protected with an older
    /// key is re-protected with the current one, so retired keys (and the certificate that
    /// encrypted them) stop being needed once each user has signed in.
    /// </summary>
    async Task<string?> RevealAsync(int userId, string protectedSecret, CancellationToken ct)
    {
        try
        {
            if (Protector is not IPersistedDataProtector persisted)
                return Protector.Unprotect(protectedSecret);
            var bytes = persisted.DangerousUnprotect(WebEncoders.Base64UrlDecode(protectedSecret), ignoreRevocationErrors: false,
                out var requiresMigration, out _);
            var secret = Encoding.UTF8.GetString(bytes);
            if (requiresMigration)
                await db.ExecuteAsync("UPDATE user_two_factor SET secret_protected = @fresh WHERE user_id = @userId AND secret_protected = @protectedSecret",
                    new { userId, protectedSecret, fresh = Protector.Protect(secret) }, ct);
            return secret;
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            logger.LogError("The authenticator secret of user {UserId} cannot be decrypted: {Error}. Its Data Protection key, or the certificate protecting that key, is missing",
                userId, e.Message);
            return null;
        }
    }
}
