using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using MediConnect.Portal.Features.Account.TwoFactor;
using MediConnect.Portal.Security;

namespace MediConnect.Portal.Features.Account.ConnectedApps;

/// <summary>
/// <c>POST /account/api-tokens</c>: creates a personal access token from a script, with the
/// account's email and password as HTTP Basic credentials (the same checks, lockout, rate limit
/// and audit as the login page; an account with two-factor sign-in adds the form field <c>code</c>,
/// its authenticator or a recovery code) and the form fields <c>name</c>, <c>scope</c> (<c>patient</c> or
/// <c>user</c>), <c>resources</c> (comma-separated, all when empty) and <c>expires_in_days</c>.
/// Answers the token once, as JSON. The Connected apps page does the same for a signed-in user.
/// </summary>
public static class AccessTokenEndpoint
{
    public const string Path = "/account/api-tokens";

    public static void MapAccessTokenEndpoint(this WebApplication app) =>
        app.MapPost(Path, CreateAsync).AllowAnonymous().DisableAntiforgery();

    static async Task<IResult> CreateAsync(
        HttpContext context, SignInService signIn, TwoFactorSignIn twoFactor, AccessTokenService tokens, CancellationToken ct)
    {
        if (!TryReadBasic(context.Request, out var email, out var password))
            return Results.Json(new { error = "Send your portal email and password as HTTP Basic credentials (curl -u email:password)." }, statusCode: StatusCodes.Status401Unauthorized);
        var client = ClientInfo.From(context);
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(ct) : null;
        var result = await signIn.SignInAsync(email, password, client, ct);
        if (result.Outcome == SignInOutcome.SecondFactorRequired && form?["code"].ToString() is { Length: > 0 } code)
            result = await twoFactor.VerifyAsync(result.User!.Id, code, client, ct);
        if (!result.Succeeded)
            return Results.Json(new { error = RefusalOf(result) }, statusCode: StatusCodes.Status401Unauthorized);

        // The new token belongs to the account just checked: services see it as the signed-in user.
        var user = result.User! with { IpAddress = client.IpAddress, UserAgent = client.UserAgent };
        context.User = new ClaimsPrincipal(new ClaimsIdentity(CurrentUser.ClaimsFor(user), "Basic"));
        var scope = form?["scope"].ToString() is { Length: > 0 } s ? s : user.IsPatient ? "patient" : "user";
        var resources = (form?["resources"].ToString() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // Absent: the default. Present but not a whole number (-1, 1.5, 99999999999): 0, which the
        // service refuses with the same message as any other day count out of range.
        var days = form?["expires_in_days"].ToString() is not { Length: > 0 } daysText ? AccessTokenService.DefaultExpiryDays
            : int.TryParse(daysText, NumberStyles.None, CultureInfo.InvariantCulture, out var d) ? d : 0;
        if (scope is not ("patient" or "user"))
            return Results.Json(new { error = "scope must be patient or user." }, statusCode: StatusCodes.Status400BadRequest);
        try
        {
            var created = await tokens.CreateAsync(new AccessTokenRequest(form?["name"], scope == "patient" ? ScopeContext.Patient : ScopeContext.User, resources, days), ct);
            return Results.Json(new
            {
                token = created.Token,
                id = created.Summary.Id,
                name = created.Summary.Name,
                scopes = created.Summary.ScopeList,
                expires_at = created.Summary.ExpiresAt,
            }, statusCode: StatusCodes.Status201Created);
        }
        catch (FieldValidationException e)
        {
            return Results.Json(new { error = e.Message, fields = e.Errors }, statusCode: StatusCodes.Status400BadRequest);
        }
        catch (BusinessRuleException e)
        {
            return Results.Json(new { error = e.Message }, statusCode: StatusCodes.Status409Conflict);
        }
    }

    static string RefusalOf(SignInResult result) => result.Outcome switch
    {
        SignInOutcome.SecondFactorRequired =>
            "This account signs in with two-factor: add the current code from your authenticator app, or a recovery code, as the form field code.",
        SignInOutcome.EnrolmentRequired =>
            "This account must set up two-factor sign-in first: sign in once on the portal's login page, then create the token.",
        _ => result.Message ?? "Invalid email or password.",
    };

    static bool TryReadBasic(HttpRequest request, out string email, out string password)
    {
        email = password = "";
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
            return false;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
                return false;
            (email, password) = (text[..colon], text[(colon + 1)..]);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
