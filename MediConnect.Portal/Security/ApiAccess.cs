using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace MediConnect.Portal.Security;

/// <summary>
/// How a program (not a browser) acts for a user: a personal access token sent as
/// <c>Authorization: Bearer mcp_…</c>. The token authentication scheme turns it into the owner's
/// principal (the same claims as a sign-in, plus the token's scopes), so every service sees the
/// owner as the signed-in user. Only the SHA-256 of a token is stored.
/// </summary>
public static partial class ApiAccess
{
    public const string Scheme = "AccessToken";
    public const string ScopeClaim = "mediconnect:scope";
    public const string TokenIdClaim = "mediconnect:token";

    /// <summary>The FHIR resource types a token can be limited to (the API serves exactly these).</summary>
    public static readonly IReadOnlyList<string> ResourceTypes =
        ["Patient", "Practitioner", "Observation", "Appointment", "MedicationRequest", "AllergyIntolerance", "Condition", "Immunization", "DocumentReference", "Binary"];

    /// <summary>What every token starts with, so a leaked one is recognisable (and scannable).</summary>
    public const string TokenPrefix = "mcp_";

    /// <summary>A new random token (256 bits): the text shown once, and what is stored of it.</summary>
    public static (string Token, byte[] Hash, string Hint) NewToken()
    {
        var token = TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        return (token, Hash(token), token[..(TokenPrefix.Length + 6)]);
    }

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>True when <paramref name="token"/> has the shape of one of ours (checked before any database look-up).</summary>
    public static bool LooksLikeToken(string token) => TokenShape().IsMatch(token);

    /// <summary>The scopes in a token principal.</summary>
    public static IReadOnlyList<ApiScope> ScopesOf(ClaimsPrincipal principal) =>
        [.. principal.FindAll(ScopeClaim).Select(c => ApiScope.Parse(c.Value)).OfType<ApiScope>()];

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("^mcp_[A-Za-z0-9_-]{43}$")]
    private static partial Regex TokenShape();
}

/// <summary>Whose data a scope reaches: the token owner's own record, or everything the owner may see in the portal.</summary>
public enum ScopeContext { Patient, User }

/// <summary>
/// A read-only SMART-style scope: <c>patient/*.read</c> (the owner's own record, for patients),
/// <c>user/*.read</c> (whatever the owner may see in the portal), or one resource type instead of <c>*</c>.
/// </summary>
public sealed partial record ApiScope(ScopeContext Context, string ResourceType)
{
    public const string AnyResource = "*";

    public bool Allows(string resourceType) => ResourceType == AnyResource || ResourceType == resourceType;

    public override string ToString() => $"{(Context == ScopeContext.Patient ? "patient" : "user")}/{ResourceType}.read";

    /// <summary>The scope, or null when <paramref name="text"/> is not a read scope we grant.</summary>
    public static ApiScope? Parse(string? text)
    {
        var match = ScopeShape().Match(text ?? "");
        if (!match.Success)
            return null;
        var context = match.Groups[1].Value == "patient" ? ScopeContext.Patient : ScopeContext.User;
        return new ApiScope(context, match.Groups[2].Value);
    }

    [GeneratedRegex(@"^(patient|user)/(\*|[A-Z][A-Za-z]+)\.read$")]
    private static partial Regex ScopeShape();
}

/// <summary>Why a bearer token was not accepted.</summary>
public enum AccessTokenRejection { Unknown, Expired, Revoked, AccountInactive }

/// <summary>The failure of the token scheme's authentication; <see cref="Reason"/> picks the answer (401, or 410 for a revoked token).</summary>
public sealed class AccessTokenRejectedException(AccessTokenRejection reason) : Exception(reason switch
{
    AccessTokenRejection.Expired => "The access token has expired. Create a new one on the Connected apps page.",
    AccessTokenRejection.Revoked => "The access token was revoked by its owner.",
    AccessTokenRejection.AccountInactive => "The account this access token belongs to is deactivated.",
    _ => "The access token is not valid.",
})
{
    public AccessTokenRejection Reason { get; } = reason;
}
