using MediConnect.Portal.Security;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace MediConnect.Portal.Features.Account;

/// <summary>
/// The authentication state of a Blazor circuit, checked against <c>sessions</c> every 30
/// seconds: when the session has ended (signed out elsewhere, revoked, expired, user
/// deactivated) the circuit becomes signed out and the router sends the page to the login page.
/// </summary>
public sealed class SessionAuthenticationStateProvider(ILoggerFactory loggerFactory, SessionStore sessions)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(30);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var sid = CurrentUser.FromPrincipal(authenticationState.User)?.SessionId;
        return sid is not null && await sessions.EndsAtAsync(sid, cancellationToken) is not null;
    }
}
