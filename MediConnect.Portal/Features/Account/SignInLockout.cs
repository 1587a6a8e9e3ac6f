using System.Net;
using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Account;

/// <summary>
/// The lockout rule, kept in <c>sign_in_failures</c> (migration 016) for every email tried, known
/// or not, so the login page answers an unknown email exactly as it answers a known one:
/// <c>LOGIN_MAX_FAILED_ATTEMPTS</c> failures within <c>LOGIN_LOCKOUT_MINUTES</c> lock the email for
/// <b>that client address only</b> (someone elsewhere cannot lock a doctor out of the clinic), and
/// <c>LOGIN_ACCOUNT_MAX_FAILED_ATTEMPTS</c> failures from all addresses together lock it everywhere
/// (guessing spread over many addresses). Each lock lasts <c>LOGIN_LOCKOUT_MINUTES</c>.
/// </summary>
public sealed class SignInLockout(SignInSettings settings)
{
    /// <summary>The client key of the count over all addresses.</summary>
    public const string AllAddresses = "*";

    /// <summary>What login forms accept as an email before anything is looked up (the users column holds 254).</summary>
    public static readonly TextField Email = new("The email address", 254, TextKind.Identity);

    /// <summary>Where a failure left the email: its count and lock from this address and from all of them.</summary>
    public sealed record Count(int Failures, DateTime? LockedUntil, int AccountFailures, DateTime? AccountLockedUntil)
    {
        /// <summary>The lock in force after this failure, if any.</summary>
        public DateTime? Lock(DateTime now) => Later(LockedUntil, AccountLockedUntil) is { } until && until > now ? until : null;
    }

    /// <summary>The key an email is counted under: trimmed, lower case; null when it could not be an account's email.</summary>
    public static string? EmailKey(string? email) =>
        string.IsNullOrWhiteSpace(email) || Email.Error(email) is not null ? null : email.Trim().ToLowerInvariant();

    /// <summary>The key a client is counted under: its address (IPv6 per /64), as the sign-in rate limit counts it.</summary>
    public static string ClientKey(ClientInfo client) =>
        LoginRateLimit.ClientKey(IPAddress.TryParse(client.IpAddress, out var address) ? address : null);

    /// <summary>The lock on <paramref name="emailKey"/> for this client, from here or everywhere, when one is in force.</summary>
    public static Task<DateTime?> LockedUntilAsync(NpgsqlDataSource db, string emailKey, string clientKey, DateTime now, CancellationToken ct) =>
        db.QueryOneAsync<DateTime?>("""
            SELECT max(until) FROM (
                SELECT locked_until AS until FROM sign_in_failures WHERE email_key = @emailKey AND client_key IN (@clientKey, '*')
                UNION ALL
                SELECT locked_until FROM users WHERE email = @emailKey
            ) locks
            WHERE until > @now
            """, new { emailKey, clientKey, now }, ct);

    /// <summary>
    /// Counts one failure from the client and from all addresses in one statement (concurrent
    /// failures count one by one; windows other emails left behind are deleted on the way) and
    /// mirrors the all-addresses count onto the account, when the email has one.
    /// </summary>
    public Task<Count> CountFailureAsync(DbTransactionScope tx, string emailKey, string clientKey, DateTime now) =>
        tx.InsertReturningAsync<Count>("""
            WITH ended AS (
                DELETE FROM sign_in_failures
                WHERE email_key <> @emailKey AND window_start <= @windowEnded AND (locked_until IS NULL OR locked_until <= @now)
            ),
            counted AS (
                INSERT INTO sign_in_failures AS f (email_key, client_key, failures, window_start, locked_until)
                SELECT @emailKey, k.client_key, 1, @now, CASE WHEN k.ceiling <= 1 THEN @lockUntil END
                FROM (VALUES (@clientKey, @maxAttempts), ('*', @accountMaxAttempts)) AS k (client_key, ceiling)
                ON CONFLICT (email_key, client_key) DO UPDATE
                SET failures = CASE WHEN f.locked_until <= @now OR f.window_start <= @windowEnded THEN 1 ELSE f.failures + 1 END,
                    window_start = CASE WHEN f.locked_until <= @now OR f.window_start <= @windowEnded THEN @now ELSE f.window_start END,
                    locked_until = CASE
                        WHEN (CASE WHEN f.locked_until <= @now OR f.window_start <= @windowEnded THEN 1 ELSE f.failures + 1 END)
                             >= CASE WHEN f.client_key = '*' THEN @accountMaxAttempts ELSE @maxAttempts END THEN @lockUntil
                        WHEN f.locked_until <= @now THEN NULL
                        ELSE f.locked_until
                    END
                RETURNING f.client_key, f.failures, f.locked_until
            ),
            mirrored AS (
                UPDATE users u SET failed_login_attempts = c.failures, locked_until = c.locked_until
                FROM counted c
                WHERE c.client_key = '*' AND u.email = @emailKey
            )
            SELECT here.failures, here.locked_until, everywhere.failures AS account_failures, everywhere.locked_until AS account_locked_until
            FROM counted here, counted everywhere
            WHERE here.client_key <> '*' AND everywhere.client_key = '*'
            """, new
        {
            emailKey, clientKey, now,
            windowEnded = now - settings.LockoutDuration,
            lockUntil = now + settings.LockoutDuration,
            maxAttempts = settings.MaxFailedAttempts,
            accountMaxAttempts = settings.AccountMaxFailedAttempts,
        });

    /// <summary>A successful sign-in from this client starts its count, and the count over all addresses, again.</summary>
    public static Task ClearAsync(DbTransactionScope tx, string emailKey, string clientKey) =>
        tx.ExecuteAsync("DELETE FROM sign_in_failures WHERE email_key = @emailKey AND client_key IN (@clientKey, '*')", new { emailKey, clientKey });

    /// <summary>True when this failure is the one that locked the email (for the <c>account_locked</c> audit row).</summary>
    public bool JustLocked(Count count) =>
        count.Failures == settings.MaxFailedAttempts || count.AccountFailures == settings.AccountMaxFailedAttempts;

    static DateTime? Later(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
