using System.Globalization;
using MediConnect.Portal.Security;

namespace MediConnect.Portal.Features.Admin.Audit;

/// <summary><c>GET /admin/audit/export.csv</c>: the filtered audit log as CSV (<c>breakGlass=true</c>: break-glass entries only), admins only, streamed as rows are read.</summary>
public static class AuditExport
{
    public const string Path = "/admin/audit/export.csv";

    public static IEndpointRouteBuilder MapAuditExport(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, ExportAuditAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.Admin))
            .ExcludeFromDescription();
        return app;
    }

    static async Task ExportAuditAsync(
        HttpContext http, AuditBrowser audit, TimeProvider clock,
        string? user, string? action, string? entity, DateOnly? from, DateOnly? to, bool? breakGlass, CancellationToken ct)
    {
        var date = clock.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"audit-log-{date}.csv\"";
        try
        {
            await audit.ExportCsvAsync(new AuditQuery(user, action, entity, from, to, BreakGlass: breakGlass == true), http.Response.Body, ct);
        }
        catch (Exception e) when (e is AccessDeniedException or BusinessRuleException && !http.Response.HasStarted)
        {
            http.Response.StatusCode = e is AccessDeniedException ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest;
            http.Response.ContentType = "text/plain; charset=utf-8";
            http.Response.Headers.ContentDisposition = default;
            await http.Response.WriteAsync(e.Message, ct);
        }
    }
}
