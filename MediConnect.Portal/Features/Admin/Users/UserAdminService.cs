using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Lists;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Admin.Users;

/// <summary>
/// User management for admins: list, create, edit, deactivate, reset password, reset two-factor
/// sign-in, unlock, sign out everywhere. Every write runs in one transaction with its audit row (old and new values, never
/// a password or hash). Rules that involve other rows (the last active admin) are checked inside
/// the transaction with the admin rows locked, so two admins acting at once cannot both pass.
/// </summary>
public sealed class UserAdminService(NpgsqlDataSource db, ICurrentUser currentUser, AuditLog audit, PasswordHasher hasher)
{
    const string FilterSql = """
        WHERE (@Pattern::text IS NULL OR u.email ILIKE @Pattern ESCAPE '\' OR u.name ILIKE @Pattern ESCAPE '\')
          AND (@Role::text IS NULL OR u.role = @Role)
          AND (@Active::boolean IS NULL OR u.is_active = @Active)
        """;

    const string SelectSql = """
        SELECT u.id, u.email, u.name, u.role, u.specialization, u.phone, u.is_active, u.last_login,
               u.failed_login_attempts, u.locked_until, u.created_at,
               (SELECT count(*) FROM sessions s WHERE s.user_id = u.id AND s.expires_at > now()) AS active_sessions,
               EXISTS (SELECT 1 FROM user_two_factor t WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL) AS two_factor_enrolled
        FROM users u
        """;

    public async Task<UserResultPage> SearchAsync(UserQuery query, CancellationToken ct = default)
    {
        await currentUser.RequireAsync(Roles.Admin);
        var pattern = SearchText.LikePattern(query.Search);
        var pageSize = Math.Clamp(query.PageSize, 1, 200);
        var args = new
        {
            Pattern = pattern,
            Role = string.IsNullOrEmpty(query.Role) ? null : query.Role,
            query.Active,
            Take = pageSize,
            Skip = Math.Max(0, query.Page) * pageSize,
        };
        var (total, moreThanTotal) = CappedCount.Read(await db.QueryOneAsync<long>(CappedCount.Sql($"FROM users u\n{FilterSql}"), args, ct));
        var items = await db.QueryListAsync<UserSummary>($"{SelectSql}\n{FilterSql}\nORDER BY u.name, u.id LIMIT @Take OFFSET @Skip", args, ct);
        return new UserResultPage(items, total, moreThanTotal);
    }

    public async Task<UserSummary?> GetAsync(int id, CancellationToken ct = default)
    {
        await currentUser.RequireAsync(Roles.Admin);
        return await db.QueryOneAsync<UserSummary>($"{SelectSql} WHERE u.id = @id", new { id }, ct);
    }

    /// <summary>Creates the account (and a patient's <c>patients</c> row in the same transaction); returns its id.</summary>
    public async Task<int> CreateAsync(NewUser user)
    {
        await currentUser.RequireAsync(Roles.Admin);
        var email = AccountRules.NormalizeEmail(user.Email);
        Check(AccountRules.EmailError(email));
        Check(AccountRules.PasswordError(user.Password, email));
        var fields = Clean(new UserChanges(user.Name, user.Role, user.Phone, user.Specialization));
        var hash = hasher.Hash(user.Password);

        const string insertUser = """
            INSERT INTO users (email, password, role, name, phone, specialization)
            VALUES (@email, @hash, @Role, @Name, @Phone, @Specialization)
            RETURNING id
            """;
        try
        {
            return await db.InTransactionAsync(async tx =>
            {
                var id = await tx.InsertReturningAsync<int>(insertUser, new { email, hash, fields.Role, fields.Name, fields.Phone, fields.Specialization });
                if (fields.Role == Roles.Patient)
                    await tx.ExecuteAsync("INSERT INTO patients (user_id) VALUES (@id)", new { id });
                await audit.WriteAsync(tx, "user_create", "user", id, null,
                    new { email, fields.Name, fields.Role, fields.Phone, fields.Specialization, isActive = true });
                return id;
            });
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new BusinessRuleException($"An account with the email {email} already exists.");
        }
    }

    /// <summary>Changes name, phone, specialization and role. An admin cannot demote themselves or the last active admin.</summary>
    public async Task UpdateAsync(int id, UserChanges changes)
    {
        var admin = await currentUser.RequireAsync(Roles.Admin);
        var fields = Clean(changes);
        await db.InTransactionAsync(async tx =>
        {
            var activeAdmins = await LockActiveAdminsAsync(tx);
            var old = await LockUserAsync(tx, id);
            if (old.Role == Roles.Admin && fields.Role != Roles.Admin)
            {
                if (id == admin.Id)
                    throw new BusinessRuleException("You cannot remove your own admin role; ask another admin to do it.");
                if (old.IsActive && activeAdmins.Count <= 1)
                    throw new BusinessRuleException($"{old.Name} is the last active admin; make another user an admin first.");
            }

            await tx.ExecuteAsync("""
                UPDATE users SET name = @Name, role = @Role, phone = @Phone, specialization = @Specialization
                WHERE id = @id
                """, new { id, fields.Name, fields.Role, fields.Phone, fields.Specialization });
            if (fields.Role == Roles.Patient)
                await tx.ExecuteAsync("INSERT INTO patients (user_id) VALUES (@id) ON CONFLICT (user_id) DO NOTHING", new { id });
            await audit.WriteAsync(tx, "user_update", "user", id,
                new { old.Name, old.Role, old.Phone, old.Specialization },
                new { fields.Name, fields.Role, fields.Phone, fields.Specialization });
        });
    }

    /// <summary>
    /// Deactivates (ending every sign-in session of the user at once) or reactivates an account.
    /// Returns the number of sessions ended.
    /// </summary>
    public async Task<int> SetActiveAsync(int id, bool active)
    {
        var admin = await currentUser.RequireAsync(Roles.Admin);
        if (!active && id == admin.Id)
            throw new BusinessRuleException("You cannot deactivate your own account.");
        return await db.InTransactionAsync(async tx =>
        {
            var activeAdmins = await LockActiveAdminsAsync(tx);
            var old = await LockUserAsync(tx, id);
            if (!active && old.IsActive && old.Role == Roles.Admin && activeAdmins.Count <= 1)
                throw new BusinessRuleException($"{old.Name} is the last active admin and cannot be deactivated.");

            await tx.ExecuteAsync("UPDATE users SET is_active = @active WHERE id = @id", new { id, active });
            var ended = active ? 0 : await tx.ExecuteAsync("DELETE FROM sessions WHERE user_id = @id", new { id });
            await audit.WriteAsync(tx, active ? "user_reactivate" : "user_deactivate", "user", id,
                new { isActive = old.IsActive }, new { isActive = active, sessionsEnded = ended });
            return ended;
        });
    }

    /// <summary>
    /// Sets a new password the admin chose or generated and ends the user's sessions (all of them;
    /// the admin's own current one stays when they reset their own). Returns how many ended. The
    /// audit row says the password changed, never what to.
    /// </summary>
    public async Task<int> ResetPasswordAsync(int id, string password)
    {
        var admin = await currentUser.RequireAsync(Roles.Admin);
        return await db.InTransactionAsync(async tx =>
        {
            var old = await LockUserAsync(tx, id);
            Check(AccountRules.PasswordError(password, old.Email));
            await tx.ExecuteAsync("UPDATE users SET password = @hash WHERE id = @id", new { id, hash = hasher.Hash(password) });
            var ended = await EndSessionsAsync(tx, id, admin);
            await audit.WriteAsync(tx, "user_password_reset", "user", id, null, new { passwordChanged = true, sessionsEnded = ended });
            return ended;
        });
    }

    /// <summary>
    /// Removes the user's authenticator and recovery codes (after a lost phone), ends their sessions
    /// and revokes their personal access tokens (a token made before the phone was lost works without
    /// the second factor, so it goes too), all in one transaction; a role that needs a second factor
    /// sets up a new one at the next sign-in. Admins replace their own from their account menu.
    /// </summary>
    public async Task<TwoFactorReset> ResetTwoFactorAsync(int id)
    {
        var admin = await currentUser.RequireAsync(Roles.Admin);
        if (id == admin.Id)
            throw new BusinessRuleException("To replace your own authenticator, use Two-factor sign-in in your account menu.");
        const string revokeTokensSql = """
            UPDATE api_tokens SET revoked_at = greatest(now(), created_at)
            WHERE user_id = @id AND revoked_at IS NULL AND expires_at > now()
            RETURNING id
            """;
        return await db.InTransactionAsync(async tx =>
        {
            await LockUserAsync(tx, id);
            var removed = await tx.ExecuteAsync("DELETE FROM user_two_factor WHERE user_id = @id", new { id });
            var codes = await tx.ExecuteAsync("DELETE FROM two_factor_recovery_codes WHERE user_id = @id", new { id });
            if (removed == 0 && codes == 0)
                throw new BusinessRuleException("This user has no two-factor sign-in to reset.");
            var ended = await EndSessionsAsync(tx, id, admin);
            var tokens = await tx.QueryListAsync<int>(revokeTokensSql, new { id });
            foreach (var tokenId in tokens)
                await audit.WriteAsync(tx, "api_token_revoked", "api_token", tokenId, null, new { reason = "two_factor_reset", userId = id });
            await audit.WriteAsync(tx, "two_factor_reset", "user", id, new { twoFactor = true },
                new { twoFactor = false, sessionsEnded = ended, tokensRevoked = tokens.Count });
            return new TwoFactorReset(ended, tokens.Count);
        });
    }

    /// <summary>Clears a lockout: no failed attempts, no lock, from any client address.</summary>
    public async Task UnlockAsync(int id)
    {
        await currentUser.RequireAsync(Roles.Admin);
        await db.InTransactionAsync(async tx =>
        {
            var old = await LockUserAsync(tx, id);
            await tx.ExecuteAsync("UPDATE users SET failed_login_attempts = 0, locked_until = NULL WHERE id = @id", new { id });
            // Its locks for single client addresses too (SignInLockout).
            await tx.ExecuteAsync("DELETE FROM sign_in_failures WHERE email_key = (SELECT email FROM users WHERE id = @id)", new { id });
            await audit.WriteAsync(tx, "user_unlock", "user", id,
                new { old.FailedLoginAttempts, old.LockedUntil }, new { failedLoginAttempts = 0, lockedUntil = (DateTime?)null });
        });
    }

    /// <summary>Ends every sign-in session of the user; returns how many there were.</summary>
    public async Task<int> SignOutEverywhereAsync(int id)
    {
        await currentUser.RequireAsync(Roles.Admin);
        return await db.InTransactionAsync(async tx =>
        {
            await LockUserAsync(tx, id);
            var ended = await tx.ExecuteAsync("DELETE FROM sessions WHERE user_id = @id", new { id });
            await audit.WriteAsync(tx, "user_sign_out_everywhere", "user", id, null, new { sessionsEnded = ended });
            return ended;
        });
    }

    /// <summary>Ends every session of the user but the acting admin's current one.</summary>
    static Task<int> EndSessionsAsync(DbTransactionScope tx, int id, PortalUser admin) =>
        tx.ExecuteAsync("DELETE FROM sessions WHERE user_id = @id AND sid IS DISTINCT FROM @current", new { id, current = admin.SessionId });

    /// <summary>Locks every active admin row (in id order, so concurrent callers cannot deadlock) and returns their ids.</summary>
    static Task<IReadOnlyList<int>> LockActiveAdminsAsync(DbTransactionScope tx) =>
        tx.QueryListAsync<int>("SELECT id FROM users WHERE role = 'admin' AND is_active ORDER BY id FOR UPDATE");

    static async Task<LockedUser> LockUserAsync(DbTransactionScope tx, int id) =>
        await tx.QueryOneAsync<LockedUser>("""
            SELECT id, email, name, role, phone, specialization, is_active, failed_login_attempts, locked_until
            FROM users WHERE id = @id FOR UPDATE
            """, new { id })
        ?? throw new BusinessRuleException("That user no longer exists.");

    static UserChanges Clean(UserChanges changes)
    {
        Check(AccountRules.Name.Error(changes.Name));
        Check(Roles.All.Contains(changes.Role) ? null : "Choose a role: admin, doctor or patient.");
        Check(AccountRules.Phone.Error(changes.Phone));
        Check(AccountRules.Specialization.Error(changes.Specialization));
        return new UserChanges(changes.Name.Trim(), changes.Role, TextField.Clean(changes.Phone), TextField.Clean(changes.Specialization));
    }

    static void Check(string? error)
    {
        if (error is not null)
            throw new BusinessRuleException(error);
    }

    sealed record LockedUser(int Id, string Email, string Name, string Role, string? Phone, string? Specialization,
        bool IsActive, int FailedLoginAttempts, DateTime? LockedUntil);
}
