using System.Security.Claims;
using MediConnect.Portal.Features.Account.ConnectedApps;
using MediConnect.Portal.Features.Account.TwoFactor;
using MediConnect.Portal.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MediConnect.Portal.Features.Account;

/// <summary>Registration and pipeline of sign-in, sessions and the security around them.</summary>
public static class SignInSetup
{
    public const string CookieName = "mediconnect.session";

    /// <exception cref="Data.PortalConfigurationException">A sign-in setting is malformed, or a key-protection certificate unusable.</exception>
    public static WebApplicationBuilder AddSignIn(this WebApplicationBuilder builder)
    {
        var settings = SignInSettings.From(builder.Configuration, builder.Environment);
        var keyProtection = KeyProtectionSettings.From(builder.Configuration);
        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton(new PasswordHasher(settings.BcryptWorkFactor));
        services.AddSingleton<SessionStore>();
        services.AddHostedService<SessionCleanup>();
        services.AddScoped<SignInService>();
        services.AddScoped<PasswordChangeService>();
        services.AddScoped<MySessionsService>();
        services.AddScoped<TwoFactorStore>();
        services.AddScoped<TwoFactorSignIn>();
        services.AddScoped<MyTwoFactorService>();
        services.AddSingleton<PendingSignIn>();

        services.AddSingleton(keyProtection);
        services.AddSingleton<KeyProtection>();
        services.AddSingleton<FirstDataProtectionKey>();
        keyProtection.Apply(services.AddDataProtection().SetApplicationName("MediConnect.Portal"));
        services.AddOptions<KeyManagementOptions>()
            .Configure<NpgsqlDataSource>((options, db) => options.XmlRepository = new PostgresXmlRepository(db));

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = CookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = settings.CookieSecureAlways ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
                options.LoginPath = LoginRateLimit.LoginPath;
                options.LogoutPath = "/account/logout";
                options.AccessDeniedPath = "/account/access-denied";
                options.ReturnUrlParameter = "returnUrl";
                // The session row enforces idle and absolute expiry; the ticket carries the absolute end too.
                options.ExpireTimeSpan = settings.AbsoluteTimeout;
                options.SlidingExpiration = false;
                RelativeRedirects.Apply(options.Events);
            })
            .AddAccessTokens();
        services.AddSingleton<IPostConfigureOptions<CookieAuthenticationOptions>, UseSessionStore>();
        // The antiforgery cookie is Secure whenever the request is HTTPS, including HTTPS ended at a
        // trusted proxy (X-Forwarded-Proto), like the session cookie (its default is never). Not
        // "Always" with COOKIE_SECURE_ALWAYS: antiforgery refuses to issue a token on a plain-HTTP
        // request then, and every form would fail.
        services.AddAntiforgery(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.AddAuthorization(options =>
        {
            foreach (var role in Roles.All)
                options.AddPolicy(role, policy => policy.RequireAuthenticatedUser().RequireRole(role));
        });
        services.AddScoped<AuthenticationStateProvider, SessionAuthenticationStateProvider>();
        services.AddScoped<CircuitHandler, UserLogCircuitHandler>();
        services.AddSingleton<LoginRateLimit>();
        return builder;
    }

    /// <summary>
    /// The front of the pipeline, before anything else (HSTS and error pages included): the real
    /// client address (trusted proxies only), security headers, relative redirects and the sign-in rate limit.
    /// </summary>
    public static WebApplication UseSignIn(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<SignInSettings>();
        if (settings.TrustedProxies.Count > 0)
        {
            var forwarded = new ForwardedHeadersOptions
            {
                ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
                ForwardLimit = 1,
            };
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
            foreach (var proxy in settings.TrustedProxies)
                forwarded.KnownIPNetworks.Add(proxy);
            app.UseForwardedHeaders(forwarded);
        }
        app.UseSecurityHeaders();
        app.UseRelativeRedirects();
        app.UseFormNulGuard();
        var rateLimit = app.Services.GetRequiredService<LoginRateLimit>();
        app.Use(rateLimit.HandleAsync);
        return app;
    }

    /// <summary>
    /// Routing, authentication, authorization and the user id in log events (after the error
    /// pages and the request log, so both see the signed-in user), and the sign-out and
    /// keep-alive endpoints.
    /// </summary>
    public static WebApplication MapSignIn(this WebApplication app)
    {
        app.UseRouting();
        app.UseAuthentication();
        app.UseTwoFactorEnforcement();
        app.UseAuthorization();
        app.UseUserLogContext();

        app.MapPost("/account/logout", async (HttpContext context, IAntiforgery antiforgery, NpgsqlDataSource db, ILogger<SignInService> logger) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
                return Results.Text("The sign-out form has expired. Reload the page and sign out again.", statusCode: StatusCodes.Status400BadRequest);
            var user = CurrentUser.FromPrincipal(context.User);
            if (user is not null)
            {
                await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                var client = ClientInfo.From(context);
                await AuditLog.WriteAsync(db, new AuditEntry(user.Id, "sign_out", "session",
                    user.SessionId is null ? null : SessionKey.Handle(user.SessionId), null, null, client.IpAddress, client.UserAgent));
                logger.LogInformation("User {UserId} signed out", user.Id);
            }
            return Results.LocalRedirect("/account/login?reason=signed-out");
        }).AllowAnonymous().DisableAntiforgery();

        // Called by wwwroot/js/session-activity.js while the user types or clicks: authenticating
        // the request already moved the session's idle end on.
        app.MapPost("/account/keep-alive", (ClaimsPrincipal user) =>
            user.Identity?.IsAuthenticated == true ? Results.NoContent() : Results.Text("Not signed in.", statusCode: StatusCodes.Status401Unauthorized))
            .AllowAnonymous().DisableAntiforgery();
        app.MapAccessTokenEndpoint();
        return app;
    }
}
