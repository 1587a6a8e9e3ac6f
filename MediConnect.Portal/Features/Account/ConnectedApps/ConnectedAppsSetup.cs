using MediConnect.Portal.Security;
using Microsoft.AspNetCore.Authentication;

namespace MediConnect.Portal.Features.Account.ConnectedApps;

/// <summary>Personal access tokens: the bearer scheme that reads them and the service behind the "Connected apps" page.</summary>
public static class ConnectedAppsSetup
{
    public static AuthenticationBuilder AddAccessTokens(this AuthenticationBuilder authentication)
    {
        authentication.Services.AddScoped<AccessTokenService>();
        return authentication.AddScheme<AuthenticationSchemeOptions, AccessTokenHandler>(ApiAccess.Scheme, displayName: "Personal access token", _ => { });
    }
}
