using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace MediConnect.Portal.Security;

/// <summary>
/// The signed-in user from the authentication cookie's principal: inside a Blazor circuit from
/// the authentication state, in a plain HTTP request (an export endpoint) from the request.
/// </summary>
public sealed class CurrentUser(AuthenticationStateProvider authenticationState, IHttpContextAccessor httpContext) : ICurrentUser
{
    public const string SessionIdClaim = "mediconnect:sid";
    public const string IpAddressClaim = "mediconnect:ip";
    public const string UserAgentClaim = "mediconnect:ua";
    public const string SecondFactorClaim = "mediconnect:2fa";

    public async Task<PortalUser?> GetAsync() => FromPrincipal(await PrincipalAsync());

    async Task<ClaimsPrincipal?> PrincipalAsync()
    {
        try
        {
            return (await authenticationState.GetAuthenticationStateAsync()).User;
        }
        catch (InvalidOperationException)
        {
            // Outside a circuit the authentication state is never set: read the request's user.
            return httpContext.HttpContext?.User;
        }
    }

    public static PortalUser? FromPrincipal(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true
            || !int.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return null;
        return new PortalUser(
            id,
            principal.FindFirstValue(ClaimTypes.Email) ?? "",
            principal.FindFirstValue(ClaimTypes.Name) ?? "",
            principal.FindFirstValue(ClaimTypes.Role) ?? "",
            principal.FindFirstValue(SessionIdClaim),
            principal.FindFirstValue(IpAddressClaim),
            principal.FindFirstValue(UserAgentClaim),
            principal.FindFirstValue(SecondFactorClaim));
    }

    /// <summary>The claims a sign-in puts in the principal, read back by <see cref="FromPrincipal"/>.</summary>
    public static IEnumerable<Claim> ClaimsFor(PortalUser user)
    {
        yield return new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(CultureInfo.InvariantCulture));
        yield return new Claim(ClaimTypes.Email, user.Email);
        yield return new Claim(ClaimTypes.Name, user.Name);
        yield return new Claim(ClaimTypes.Role, user.Role);
        if (user.SessionId is not null) yield return new Claim(SessionIdClaim, user.SessionId);
        if (user.IpAddress is not null) yield return new Claim(IpAddressClaim, user.IpAddress);
        if (user.UserAgent is not null) yield return new Claim(UserAgentClaim, user.UserAgent);
        if (user.SecondFactor is not null) yield return new Claim(SecondFactorClaim, user.SecondFactor);
    }
}
