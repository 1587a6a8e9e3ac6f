using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Account.ConnectedApps;

/// <summary>One of the user's personal access tokens as their list shows it (never the token itself).</summary>
public sealed record AccessTokenSummary(
    int Id, string Name, string TokenHint, string Scopes, DateTime CreatedAt, DateTime ExpiresAt, DateTime? LastUsedAt, DateTime? RevokedAt)
{
    /// <summary>The granted scopes, e.g. <c>patient/*.read</c>.</summary>
    public IReadOnlyList<string> ScopeList => Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public bool IsRevoked => RevokedAt is not null;
    public bool IsExpiredAt(DateTime utcNow) => ExpiresAt <= utcNow;
}

/// <summary>What the "Connected apps" form asks for. No resource types means all of them.</summary>
public sealed record AccessTokenRequest(string? Name, ScopeContext Context, IReadOnlyCollection<string> ResourceTypes, int ExpiresInDays);

/// <summary>A token just created: <see cref="Token"/> is shown once and never again.</summary>
public sealed record CreatedAccessToken(string Token, AccessTokenSummary Summary);

/// <summary>
/// The signed-in user's personal access tokens: create (shown once, stored hashed), list and
/// revoke. Creating and revoking are audited (<c>api_token_created</c>, <c>api_token_revoked</c>).
/// </summary>
public sealed class AccessTokenService(NpgsqlDataSource db, ICurrentUser currentUser, AuditLog audit, TimeProvider time)
{
    public const int NameMaxLength = 100;
    public const int MaxLiveTokens = 20;
    public const int MinExpiryDays = 1, MaxExpiryDays = 365, DefaultExpiryDays = 30;

    /// <summary>The form's choices; a script may ask for any whole number of days from <see cref="MinExpiryDays"/> to <see cref="MaxExpiryDays"/>.</summary>
    public static readonly IReadOnlyList<int> ExpiryChoices = [7, 30, 90, 180, 365];

    /// <summary>The token's name: one line, none of the characters that reorder text on screen (the same rule as a person's name).</summary>
    public static readonly TextField NameField = new("The token's name", NameMaxLength, TextKind.Identity, Missing: "Name the app that will use this token.");

    public static readonly string ExpiryMessage = $"The expiry must be a whole number of days from {MinExpiryDays} to {MaxExpiryDays}.";

    const string Columns = "id, name, token_hint, array_to_string(scopes, ' ') AS scopes, created_at, expires_at, last_used_at, revoked_at";

    public async Task<IReadOnlyList<AccessTokenSummary>> ListAsync(CancellationToken ct = default)
    {
        var user = await currentUser.RequireAsync();
        const string sql = $"""
            SELECT {Columns} FROM api_tokens
            WHERE user_id = @userId
            ORDER BY revoked_at IS NOT NULL, created_at DESC, id DESC
            """;
        return await db.QueryListAsync<AccessTokenSummary>(sql, new { userId = user.Id }, ct);
    }

    /// <summary>The scope contexts the user may grant: patients their own record or everything they see; others only the latter.</summary>
    public static IReadOnlyList<ScopeContext> ContextsFor(PortalUser user) =>
        user.IsPatient ? [ScopeContext.Patient, ScopeContext.User] : [ScopeContext.User];

    /// <exception cref="FieldValidationException">A field is wrong (nothing was created).</exception>
    /// <exception cref="BusinessRuleException">The user already has the most live tokens allowed.</exception>
    public async Task<CreatedAccessToken> CreateAsync(AccessTokenRequest request, CancellationToken ct = default)
    {
        var user = await currentUser.RequireAsync();
        var scopes = Validate(request, user);
        var name = TextField.Clean(request.Name)!;
        var now = time.GetUtcNow().UtcDateTime;
        var (token, hash, hint) = ApiAccess.NewToken();

        const string countSql = "SELECT count(*) FROM api_tokens WHERE user_id = @userId AND revoked_at IS NULL AND expires_at > @now";
        const string insertSql = $"""
            INSERT INTO api_tokens (user_id, name, token_hash, token_hint, scopes, created_at, expires_at)
            VALUES (@userId, @name, @hash, @hint, @scopes, @now, @expiresAt)
            RETURNING {Columns}
            """;
        var summary = await db.InTransactionAsync(async tx =>
        {
            // One token creation per user at a time, so the limit holds under double clicks.
            await tx.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtext('api_tokens'), @userId)", new { userId = user.Id });
            if (await tx.QueryOneAsync<long>(countSql, new { userId = user.Id, now }) >= MaxLiveTokens)
                throw new BusinessRuleException($"You already have {MaxLiveTokens} active tokens. Revoke one you no longer use first.");
            var created = await tx.InsertReturningAsync<AccessTokenSummary>(insertSql,
                new { userId = user.Id, name, hash, hint, scopes, now, expiresAt = now.AddDays(request.ExpiresInDays) });
            await audit.WriteAsync(tx, "api_token_created", "api_token", created.Id, null,
                new { created.Name, created.TokenHint, Scopes = scopes, created.ExpiresAt });
            return created;
        }, ct: ct);
        return new CreatedAccessToken(token, summary);
    }

    /// <summary>Revokes one of the user's own tokens; false when it is not theirs or already revoked.</summary>
    public async Task<bool> RevokeAsync(int tokenId, CancellationToken ct = default)
    {
        var user = await currentUser.RequireAsync();
        const string sql = """
            UPDATE api_tokens SET revoked_at = greatest(@now, created_at)
            WHERE id = @tokenId AND user_id = @userId AND revoked_at IS NULL
            RETURNING name
            """;
        return await db.InTransactionAsync(async tx =>
        {
            var name = await tx.QueryOneAsync<string>(sql, new { tokenId, userId = user.Id, now = time.GetUtcNow().UtcDateTime });
            if (name is null)
                return false;
            await audit.WriteAsync(tx, "api_token_revoked", "api_token", tokenId, null, new { name });
            return true;
        }, ct: ct);
    }

    static string[] Validate(AccessTokenRequest request, PortalUser user)
    {
        var errors = new Dictionary<string, string>();
        errors.Check(nameof(AccessTokenRequest.Name), NameField, request.Name);
        if (!ContextsFor(user).Contains(request.Context))
            errors[nameof(AccessTokenRequest.Context)] = "Only patients can grant access to their own record.";
        var unknown = request.ResourceTypes.Except(ApiAccess.ResourceTypes).ToList();
        if (unknown.Count > 0)
            errors[nameof(AccessTokenRequest.ResourceTypes)] = $"Unknown resource type: {string.Join(", ", unknown)}.";
        if (request.ExpiresInDays is < MinExpiryDays or > MaxExpiryDays)
            errors[nameof(AccessTokenRequest.ExpiresInDays)] = ExpiryMessage;
        if (errors.Count > 0)
            throw new FieldValidationException(errors);

        var types = request.ResourceTypes.Count == 0 || request.ResourceTypes.Count == ApiAccess.ResourceTypes.Count
            ? [ApiScope.AnyResource]
            : ApiAccess.ResourceTypes.Where(request.ResourceTypes.Contains);
        return [.. types.Select(t => new ApiScope(request.Context, t).ToString())];
    }
}
