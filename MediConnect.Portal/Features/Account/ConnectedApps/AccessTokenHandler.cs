using System.Security.Claims;
using System.Text.Encodings.Web;
using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MediConnect.Portal.Features.Account.ConnectedApps;

/// <summary>
/// The <see cref="ApiAccess.Scheme"/> authentication scheme: <c>Authorization: Bearer mcp_…</c>
/// becomes the token owner's principal, read fresh from the database on every request (so a
/// revoked token, a deactivated account or a changed role takes effect at once). Only callers
/// that ask for this scheme (the FHIR API) use it; pages keep the cookie.
/// </summary>
public sealed class AccessTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    NpgsqlDataSource db,
    TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    sealed record TokenRow(int Id, int UserId, string Scopes, DateTime ExpiresAt, DateTime? RevokedAt,
        string Email, string Name, string Role, bool IsActive);

    const string FindSql = """
        SELECT t.id, t.user_id, array_to_string(t.scopes, ' ') AS scopes, t.expires_at, t.revoked_at, u.email, u.name, u.role, u.is_active
        FROM api_tokens t
        JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = @hash
        """;

    // At most one write a minute per token: "last used" is for the owner's list, not an audit trail.
    const string TouchSql = """
        UPDATE api_tokens SET last_used_at = @now
        WHERE id = @id AND (last_used_at IS NULL OR last_used_at < @now - interval '1 minute')
        """;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();
        var token = header["Bearer ".Length..].Trim();
        if (!ApiAccess.LooksLikeToken(token))
            return Reject(AccessTokenRejection.Unknown);

        var row = await db.QueryOneAsync<TokenRow>(FindSql, new { hash = ApiAccess.Hash(token) }, Context.RequestAborted);
        var now = time.GetUtcNow().UtcDateTime;
        if (row is null)
            return Reject(AccessTokenRejection.Unknown);
        if (row.RevokedAt is not null)
            return Reject(AccessTokenRejection.Revoked);
        if (row.ExpiresAt <= now)
            return Reject(AccessTokenRejection.Expired);
        if (!row.IsActive)
            return Reject(AccessTokenRejection.AccountInactive);

        await db.ExecuteAsync(TouchSql, new { id = row.Id, now }, Context.RequestAborted);
        var client = ClientInfo.From(Context);
        var owner = new PortalUser(row.UserId, row.Email, row.Name, row.Role, IpAddress: client.IpAddress, UserAgent: client.UserAgent);
        var claims = CurrentUser.ClaimsFor(owner)
            .Append(new Claim(ApiAccess.TokenIdClaim, row.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Concat(row.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => new Claim(ApiAccess.ScopeClaim, s)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, ApiAccess.Scheme));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, ApiAccess.Scheme));
    }

    static AuthenticateResult Reject(AccessTokenRejection reason) => AuthenticateResult.Fail(new AccessTokenRejectedException(reason));
}
