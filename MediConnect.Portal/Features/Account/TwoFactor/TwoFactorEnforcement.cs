using MediConnect.Portal.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Npgsql;

namespace MediConnect.Portal.Features.Account.TwoFactor;

/// <summary>
/// <c>REQUIRE_2FA_FOR</c> on every request, pages and endpoints alike (the Blazor hub, the audit
/// export, keep-alive): a session of such a role that was not confirmed with a second factor
/// (signed in before the role needed one) is ended, and the user signs in again, which sets up
/// the authenticator before any page. New sessions of these roles only come from the second step.
/// </summary>
public static class TwoFactorEnforcement
{
    public static IApplicationBuilder UseTwoFactorEnforcement(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var user = CurrentUser.FromPrincipal(context.User);
        var settings = context.RequestServices.GetRequiredService<SignInSettings>();
        if (user is null || user.SecondFactor is not null || !settings.RequiresTwoFactor(user.Role))
        {
            await next(context);
            return;
        }

        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme); // deletes the session row too
        var client = ClientInfo.From(context);
        await AuditLog.WriteAsync(context.RequestServices.GetRequiredService<NpgsqlDataSource>(), new AuditEntry(user.Id, "session_revoked", "session",
            user.SessionId is null ? null : SessionKey.Handle(user.SessionId), null, new { reason = "two_factor_required" }, client.IpAddress, client.UserAgent));
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TwoFactorEnforcement))
            .LogWarning("Ended a session of user {UserId}: role {Role} needs a second factor the session was not confirmed with", user.Id, user.Role);

        if (HttpMethods.IsGet(context.Request.Method) && !context.Request.Path.StartsWithSegments("/_blazor"))
            context.Response.Redirect(ReturnUrls.StartAgain("two-factor-required", context.Request.PathBase + context.Request.Path + context.Request.QueryString));
        else
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
    });
}
