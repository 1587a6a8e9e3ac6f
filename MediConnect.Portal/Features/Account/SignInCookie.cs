using System.Security.Claims;
using MediConnect.Portal.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace MediConnect.Portal.Features.Account;

/// <summary>Writes the session cookie of a completed sign-in (the session row is created by <see cref="SessionStore"/>).</summary>
public static class SignInCookie
{
    public static Task SignInAsync(HttpContext context, PortalUser user)
    {
        var identity = new ClaimsIdentity(CurrentUser.ClaimsFor(user), CookieAuthenticationDefaults.AuthenticationScheme);
        return context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity),
            new AuthenticationProperties { IsPersistent = false });
    }
}
