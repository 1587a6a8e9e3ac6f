using System.Security.Cryptography;
using System.Text;
using MediConnect.Portal.Security;

namespace MediConnect.Portal.Features.Admin.Health;

/// <summary>
/// Who sees the details of <c>/health</c> (server version, migrations, reads, the live listener):
/// a signed-in admin, or a monitoring system sending <c>Authorization: Bearer</c> with the
/// configured <c>HEALTH_DETAILS_TOKEN</c> (compared in constant time). Everyone else gets the
/// status only, which is all a load balancer needs.
/// </summary>
public sealed class HealthDetailsAccess(byte[]? token)
{
    public const string Setting = "HEALTH_DETAILS_TOKEN";

    public static HealthDetailsAccess From(IConfiguration config) =>
        new(string.IsNullOrWhiteSpace(config[Setting]) ? null : Encoding.UTF8.GetBytes(config[Setting]!.Trim()));

    public bool Allows(HttpContext context)
    {
        if (context.User.IsInRole(Roles.Admin))
            return true;
        var header = context.Request.Headers.Authorization.ToString();
        if (token is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return false;
        var presented = Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(presented, token);
    }
}
