using System.Globalization;
using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Account;

public enum SignInOutcome { SignedIn, InvalidCredentials, LockedOut, Deactivated }

/// <summary>What a sign-in attempt came to; <see cref="Message"/> is written for the login page.</summary>
public sealed record SignInResult(SignInOutcome Outcome, PortalUser? User = null, string? Message = null)
{
    public bool Succeeded => Outcome == SignInOutcome.SignedIn;

    internal static readonly SignInResult Invalid = new(SignInOutcome.InvalidCredentials, Message: "Invalid email or password.");

    internal static readonly SignInResult Deactivated = new(SignInOutcome.Deactivated,
        Message: "This account has been deactivated. Please contact the clinic.");

    internal static SignInResult Locked(DateTime lockedUntil, DateTime now)
    {
        var minutes = Math.Max(1, (int)Math.Ceiling((lockedUntil - now).TotalMinutes));
        return new SignInResult(SignInOutcome.LockedOut, Message: string.Create(CultureInfo.InvariantCulture,
            $"This account is locked after too many failed sign-ins. Try again in {minutes} minute{(minutes == 1 ? "" : "s")}."));
    }
}

/// <summary>
/// Checks an email and password against <c>users</c>: BCrypt verification (a dummy hash when the
/// email is unknown, so timing does not tell which emails exist), failed-attempt counting and
/// lockout updated atomically in SQL, deactivated accounts refused, the hash upgraded when its
/// work factor is below the current one, <c>last_login</c> set, and an audit row for every outcome.
/// </summary>
public sealed class SignInService(NpgsqlDataSource db, PasswordHasher hasher, SignInSettings settings, TimeProvider time, ILogger<SignInService> logger)
{
    const int MaxEmailLength = 254;

    sealed record Account(int Id, string Email, string Name, string Role, string Password, bool IsActive, DateTime? LockedUntil);

    sealed record FailureCount(int FailedLoginAttempts, DateTime? LockedUntil);

    public async Task<SignInResult> SignInAsync(string? email, string? password, ClientInfo client, CancellationToken ct = default)
    {
        const string findSql = """
            SELECT id, email, name, role, password, is_active, locked_until
            FROM users
            WHERE email = @email
            """;
        var normalized = (email ?? "").Trim().ToLowerInvariant();
        password ??= "";
        var now = time.GetUtcNow().UtcDateTime;

        var account = normalized.Length is > 0 and <= MaxEmailLength
            ? await db.QueryOneAsync<Account>(findSql, new { email = normalized }, ct)
            : null;
        if (account is null)
        {
            hasher.VerifyDummy(password);
            logger.LogWarning("Sign-in failed: unknown email");
            await AuditLog.WriteAsync(db, Failed(null, client, new { email = normalized.Length <= MaxEmailLength ? normalized : normalized[..MaxEmailLength], reason = "unknown_email" }));
            return SignInResult.Invalid;
        }

        if (account.LockedUntil > now)
        {
            logger.LogWarning("Sign-in refused for user {UserId}: account locked", account.Id);
            await AuditLog.WriteAsync(db, Failed(account.Id, client, new { reason = "locked", lockedUntil = account.LockedUntil }));
            return SignInResult.Locked(account.LockedUntil.Value, now);
        }

        if (!PasswordHasher.Verify(password, account.Password))
            return await RecordFailureAsync(account, client, now, ct);

        if (!account.IsActive)
        {
            logger.LogWarning("Sign-in refused for user {UserId}: account deactivated", account.Id);
            await AuditLog.WriteAsync(db, Failed(account.Id, client, new { reason = "deactivated" }));
            return SignInResult.Deactivated;
        }

        return await CompleteAsync(account, password, client, now, ct);
    }

    async Task<SignInResult> RecordFailureAsync(Account account, ClientInfo client, DateTime now, CancellationToken ct)
    {
        // One statement, so concurrent failures count one by one; a lock that has run out starts the count again.
        const string countSql = """
            UPDATE users
            SET failed_login_attempts = CASE WHEN locked_until <= @now THEN 1 ELSE failed_login_attempts + 1 END,
                locked_until = CASE
                    WHEN (CASE WHEN locked_until <= @now THEN 1 ELSE failed_login_attempts + 1 END) >= @maxAttempts THEN @lockUntil
                    WHEN locked_until <= @now THEN NULL
                    ELSE locked_until
                END
            WHERE id = @id
            RETURNING failed_login_attempts, locked_until
            """;
        var lockUntil = now + settings.LockoutDuration;
        var count = await db.InTransactionAsync(async tx =>
        {
            var count = await tx.InsertReturningAsync<FailureCount>(countSql, new { id = account.Id, now, maxAttempts = settings.MaxFailedAttempts, lockUntil });
            await AuditLog.WriteAsync(tx, Failed(account.Id, client, new { reason = "wrong_password", attempts = count.FailedLoginAttempts }));
            if (count.FailedLoginAttempts == settings.MaxFailedAttempts)
                await AuditLog.WriteAsync(tx, new AuditEntry(account.Id, "account_locked", "user", Id(account.Id), null,
                    new { attempts = count.FailedLoginAttempts, lockedUntil = count.LockedUntil }, client.IpAddress, client.UserAgent));
            return count;
        }, ct: ct);

        if (count.LockedUntil > now)
        {
            logger.LogWarning("User {UserId} locked until {LockedUntil} after {Attempts} failed sign-ins", account.Id, count.LockedUntil, count.FailedLoginAttempts);
            return SignInResult.Locked(count.LockedUntil.Value, now);
        }
        logger.LogWarning("Sign-in failed for user {UserId}: wrong password ({Attempts} in a row)", account.Id, count.FailedLoginAttempts);
        return SignInResult.Invalid;
    }

    async Task<SignInResult> CompleteAsync(Account account, string password, ClientInfo client, DateTime now, CancellationToken ct)
    {
        // The lock is checked again here: a lock set by a concurrent failure wins over this success.
        const string successSql = """
            UPDATE users
            SET failed_login_attempts = 0, locked_until = NULL, last_login = @now
            WHERE id = @id AND is_active AND (locked_until IS NULL OR locked_until <= @now)
            """;
        const string upgradeSql = "UPDATE users SET password = @hash WHERE id = @id AND password = @oldHash";

        // Hashing takes a quarter of a second: done before the transaction opens.
        var upgradedHash = hasher.NeedsUpgrade(account.Password) ? hasher.Hash(password) : null;
        var signedIn = await db.InTransactionAsync(async tx =>
        {
            if (await tx.ExecuteAsync(successSql, new { id = account.Id, now }) == 0)
                return false;
            if (upgradedHash is not null)
                await tx.ExecuteAsync(upgradeSql, new { id = account.Id, hash = upgradedHash, oldHash = account.Password });
            await AuditLog.WriteAsync(tx, new AuditEntry(account.Id, "sign_in", "user", Id(account.Id), null,
                upgradedHash is null ? null : new { passwordHashUpgraded = true }, client.IpAddress, client.UserAgent));
            return true;
        }, ct: ct);

        if (!signedIn)
        {
            var lockedUntil = await db.QueryOneAsync<DateTime?>("SELECT locked_until FROM users WHERE id = @id", new { id = account.Id }, ct);
            return lockedUntil > now ? SignInResult.Locked(lockedUntil.Value, now) : SignInResult.Deactivated;
        }

        logger.LogInformation("User {UserId} signed in as {Role}{Upgrade}", account.Id, account.Role, upgradedHash is null ? "" : " (password hash upgraded)");
        return new SignInResult(SignInOutcome.SignedIn,
            new PortalUser(account.Id, account.Email, account.Name, account.Role, SessionKey.New(), client.IpAddress, client.UserAgent));
    }

    static AuditEntry Failed(int? userId, ClientInfo client, object details) =>
        new(userId, "sign_in_failed", "user", userId is null ? null : Id(userId.Value), null, details, client.IpAddress, client.UserAgent);

    static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
