using MediConnect.Portal.Security;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace MediConnect.Portal.Features.Account;

/// <summary>
/// The authentication state of a Blazor circuit, checked against <c>sessions</c> every 30
/// seconds: when the session has ended (signed out elsewhere, revoked, expired, user
/// deactivated) the circuit becomes signed out and the router sends the page to the login page.
/// When the database cannot answer, the state is kept: the next request checks again.
/// </summary>
public sealed class SessionAuthenticationStateProvider(ILoggerFactory loggerFactory, SessionStore sessions)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    readonly ILogger _logger = loggerFactory.CreateLogger<SessionAuthenticationStateProvider>();

    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(30);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var sid = CurrentUser.FromPrincipal(authenticationState.User)?.SessionId;
        if (sid is null)
            return false;
        try
        {
            return await sessions.EndsAtAsync(sid, cancellationToken) is not null;
        }
        catch (ObjectDisposedException)
        {
            return true; // the portal is shutting down: its pool is gone, and so is this circuit in a moment
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            _logger.LogWarning("Could not re-check the session of a page: {Error}", e.Message);
            return true;
        }
    }
}
