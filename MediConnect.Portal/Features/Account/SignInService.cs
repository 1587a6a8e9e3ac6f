using System.Globalization;
using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Account;

/// <summary>
/// <see cref="SecondFactorRequired"/> and <see cref="EnrolmentRequired"/>: the password was right and
/// the sign-in goes on with a code (<see cref="TwoFactor.TwoFactorSignIn"/>); nobody is signed in yet.
/// </summary>
public enum SignInOutcome { SignedIn, InvalidCredentials, LockedOut, Deactivated, SecondFactorRequired, EnrolmentRequired }

/// <summary>What a sign-in attempt came to; <see cref="Message"/> is written for the login page.</summary>
public sealed record SignInResult(SignInOutcome Outcome, PortalUser? User = null, string? Message = null)
{
    public bool Succeeded => Outcome == SignInOutcome.SignedIn;

    /// <summary>The password was right; a second step (code or authenticator set-up) must follow.</summary>
    public bool NeedsSecondStep => Outcome is SignInOutcome.SecondFactorRequired or SignInOutcome.EnrolmentRequired;

    internal static readonly SignInResult Invalid = new(SignInOutcome.InvalidCredentials, Message: "Invalid email or password.");

    internal static readonly SignInResult Deactivated = new(SignInOutcome.Deactivated,
        Message: "This account has been deactivated. Please contact the clinic.");

    internal static readonly SignInResult WrongCode = new(SignInOutcome.InvalidCredentials,
        Message: "That code is not correct. Enter the current code from your authenticator app, or a recovery code.");

    internal static readonly SignInResult StartAgain = new(SignInOutcome.InvalidCredentials,
        Message: "Your sign-in has expired. Please sign in again.");

    internal static SignInResult Locked(DateTime lockedUntil, DateTime now)
    {
        var minutes = Math.Max(1, (int)Math.Ceiling((lockedUntil - now).TotalMinutes));
        return new SignInResult(SignInOutcome.LockedOut, Message: string.Create(CultureInfo.InvariantCulture,
            $"This account is locked after too many failed sign-ins. Try again in {minutes} minute{(minutes == 1 ? "" : "s")}."));
    }
}

/// <summary>
/// Checks an email and password against <c>users</c>: BCrypt verification (a dummy hash when the
/// email is unknown, so timing does not tell which emails exist), failures counted and locks set
/// per email and client address for known and unknown emails alike (<see cref="SignInLockout"/>), deactivated accounts refused, the hash upgraded when its
/// work factor is below the current one, <c>last_login</c> set, and an audit row for every outcome.
/// A user with an authenticator, or whose role needs one (<c>REQUIRE_2FA_FOR</c>), is signed in
/// only after the second step; a wrong code counts towards the lockout like a wrong password.
/// </summary>
public sealed class SignInService(NpgsqlDataSource db, PasswordHasher hasher, SignInSettings settings, TimeProvider time, ILogger<SignInService> logger)
{
    readonly SignInLockout _lockout = new(settings);

    sealed record Account(int Id, string Email, string Name, string Role, string Password, bool IsActive, bool TwoFactorEnrolled);

    const string AccountColumns = """
        SELECT u.id, u.email, u.name, u.role, u.password, u.is_active,
               EXISTS (SELECT 1 FROM user_two_factor t WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL) AS two_factor_enrolled
        FROM users u
        """;

    public async Task<SignInResult> SignInAsync(string? email, string? password, ClientInfo client, CancellationToken ct = default)
    {
        password ??= "";
        var now = time.GetUtcNow().UtcDateTime;
        if (SignInLockout.EmailKey(email) is not { } emailKey)
        {
            // No account can have this email (control characters, over-long): nothing to look up or count.
            hasher.VerifyDummy(password);
            logger.LogWarning("Sign-in failed: malformed email");
            await AuditLog.WriteAsync(db, Failed(null, client, new { reason = "malformed_email" }));
            return SignInResult.Invalid;
        }

        // Known and unknown emails take the same path: the same lock, the same BCrypt time, the same count.
        var clientKey = SignInLockout.ClientKey(client);
        var account = await db.QueryOneAsync<Account>($"{AccountColumns} WHERE u.email = @emailKey", new { emailKey }, ct);
        if (await SignInLockout.LockedUntilAsync(db, emailKey, clientKey, now, ct) is { } lockedUntil)
        {
            logger.LogWarning("Sign-in refused for {User}: locked for this client", account is null ? "an unknown email" : $"user {account.Id}");
            await AuditLog.WriteAsync(db, Failed(account?.Id, client, account is null
                ? new { reason = "locked", lockedUntil, email = emailKey }
                : new { reason = "locked", lockedUntil }));
            return SignInResult.Locked(lockedUntil, now);
        }

        if (account is null)
        {
            hasher.VerifyDummy(password);
            return await RecordFailureAsync(null, emailKey, client, now, "unknown_email", ct);
        }

        if (!PasswordHasher.Verify(password, account.Password))
            return await RecordFailureAsync(account, account.Email, client, now, "wrong_password", ct);

        if (!account.IsActive)
        {
            logger.LogWarning("Sign-in refused for user {UserId}: account deactivated", account.Id);
            await AuditLog.WriteAsync(db, Failed(account.Id, client, new { reason = "deactivated" }));
            return SignInResult.Deactivated;
        }

        // Hashing takes a quarter of a second: done before any transaction opens.
        var upgradedHash = hasher.NeedsUpgrade(account.Password) ? hasher.Hash(password) : null;
        if (SecondStepOf(account) is { } step)
        {
            if (upgradedHash is not null)
                await db.ExecuteAsync(UpgradeSql, new { id = account.Id, hash = upgradedHash, oldHash = account.Password }, ct);
            logger.LogInformation("User {UserId} gave the right password; {Step} comes next", account.Id, step);
            return new SignInResult(step, UserOf(account));
        }
        return await CompleteAsync(account, upgradedHash, null, client, now, ct);
    }

    /// <summary>
    /// Where a sign-in waiting for its second step stands: still waiting (<see cref="SignInResult.NeedsSecondStep"/>,
    /// with the user), or refused because the account was locked or deactivated meanwhile (audited).
    /// </summary>
    public async Task<SignInResult> SecondStepAsync(int userId, ClientInfo client, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var account = await FindAsync(userId, ct);
        if (account is null || !account.IsActive)
            return SignInResult.Deactivated;
        if (await SignInLockout.LockedUntilAsync(db, account.Email, SignInLockout.ClientKey(client), now, ct) is { } lockedUntil)
        {
            logger.LogWarning("Second sign-in step refused for user {UserId}: account locked", account.Id);
            await AuditLog.WriteAsync(db, Failed(account.Id, client, new { reason = "locked", lockedUntil }));
            return SignInResult.Locked(lockedUntil, now);
        }
        return SecondStepOf(account) is { } step ? new SignInResult(step, UserOf(account)) : SignInResult.StartAgain;
    }

    /// <summary>A wrong code at the second step: counted towards the lockout exactly like a wrong password.</summary>
    public async Task<SignInResult> WrongCodeAsync(int userId, ClientInfo client, CancellationToken ct = default)
    {
        var account = await FindAsync(userId, ct);
        if (account is null)
            return SignInResult.StartAgain;
        var result = await RecordFailureAsync(account, account.Email, client, time.GetUtcNow().UtcDateTime, "wrong_code", ct);
        return result.Outcome == SignInOutcome.InvalidCredentials ? SignInResult.WrongCode : result;
    }

    /// <summary>Signs in a user whose second factor (<c>totp</c>, <c>recovery_code</c>) was just verified.</summary>
    public async Task<SignInResult> CompleteSecondStepAsync(int userId, string secondFactor, ClientInfo client, CancellationToken ct = default)
    {
        var account = await FindAsync(userId, ct);
        return account is null
            ? SignInResult.StartAgain
            : await CompleteAsync(account, null, secondFactor, client, time.GetUtcNow().UtcDateTime, ct);
    }

    SignInOutcome? SecondStepOf(Account account) =>
        account.TwoFactorEnrolled ? SignInOutcome.SecondFactorRequired
        : settings.RequiresTwoFactor(account.Role) ? SignInOutcome.EnrolmentRequired
        : null;

    Task<Account?> FindAsync(int id, CancellationToken ct) => db.QueryOneAsync<Account>($"{AccountColumns} WHERE u.id = @id", new { id }, ct);

    static PortalUser UserOf(Account account) => new(account.Id, account.Email, account.Name, account.Role);

    const string UpgradeSql = "UPDATE users SET password = @hash WHERE id = @id AND password = @oldHash";

    async Task<SignInResult> RecordFailureAsync(Account? account, string emailKey, ClientInfo client, DateTime now, string reason, CancellationToken ct)
    {
        var count = await db.InTransactionAsync(async tx =>
        {
            var count = await _lockout.CountFailureAsync(tx, emailKey, SignInLockout.ClientKey(client), now);
            await AuditLog.WriteAsync(tx, Failed(account?.Id, client, account is null
                ? new { reason, attempts = count.Failures, email = emailKey }
                : new { reason, attempts = count.Failures }));
            if (account is not null && _lockout.JustLocked(count))
                await AuditLog.WriteAsync(tx, new AuditEntry(account.Id, "account_locked", "user", Id(account.Id), null,
                    new { attempts = count.Failures, lockedUntil = count.Lock(now), everywhere = count.AccountLockedUntil > now },
                    client.IpAddress, client.UserAgent));
            return count;
        }, ct: ct);

        var user = account is null ? "an unknown email" : $"user {account.Id}";
        if (count.Lock(now) is { } lockedUntil)
        {
            logger.LogWarning("Sign-in for {User} locked until {LockedUntil} ({Attempts} failures from this client, {AccountAttempts} from all)",
                user, lockedUntil, count.Failures, count.AccountFailures);
            return SignInResult.Locked(lockedUntil, now);
        }
        logger.LogWarning("Sign-in failed for {User}: {Reason} ({Attempts} failures from this client)", user, reason, count.Failures);
        return SignInResult.Invalid;
    }

    async Task<SignInResult> CompleteAsync(Account account, string? upgradedHash, string? secondFactor, ClientInfo client, DateTime now, CancellationToken ct)
    {
        // The lock is checked again here: a lock set by a concurrent failure wins over this success.
        const string successSql = """
            UPDATE users
            SET failed_login_attempts = 0, locked_until = NULL, last_login = @now
            WHERE id = @id AND is_active AND (locked_until IS NULL OR locked_until <= @now)
              AND NOT EXISTS (SELECT 1 FROM sign_in_failures f
                              WHERE f.email_key = users.email AND f.client_key = @clientKey AND f.locked_until > @now)
            """;
        var clientKey = SignInLockout.ClientKey(client);
        object? details = (upgradedHash, secondFactor) switch
        {
            (null, null) => null,
            (null, _) => new { secondFactor },
            (_, null) => new { passwordHashUpgraded = true },
            _ => new { passwordHashUpgraded = true, secondFactor },
        };
        var signedIn = await db.InTransactionAsync(async tx =>
        {
            if (await tx.ExecuteAsync(successSql, new { id = account.Id, now, clientKey }) == 0)
                return false;
            await SignInLockout.ClearAsync(tx, account.Email, clientKey);
            if (upgradedHash is not null)
                await tx.ExecuteAsync(UpgradeSql, new { id = account.Id, hash = upgradedHash, oldHash = account.Password });
            await AuditLog.WriteAsync(tx, new AuditEntry(account.Id, "sign_in", "user", Id(account.Id), null, details, client.IpAddress, client.UserAgent));
            return true;
        }, ct: ct);

        if (!signedIn)
        {
            var lockedUntil = await SignInLockout.LockedUntilAsync(db, account.Email, clientKey, now, ct);
            return lockedUntil is not null ? SignInResult.Locked(lockedUntil.Value, now) : SignInResult.Deactivated;
        }

        logger.LogInformation("User {UserId} signed in as {Role}{SecondFactor}{Upgrade}", account.Id, account.Role,
            secondFactor is null ? "" : $" with {secondFactor}", upgradedHash is null ? "" : " (password hash upgraded)");
        return new SignInResult(SignInOutcome.SignedIn,
            new PortalUser(account.Id, account.Email, account.Name, account.Role, SessionKey.New(), client.IpAddress, client.UserAgent, secondFactor));
    }

    static AuditEntry Failed(int? userId, ClientInfo client, object details) =>
        new(userId, "sign_in_failed", "user", userId is null ? null : Id(userId.Value), null, details, client.IpAddress, client.UserAgent);

    static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
