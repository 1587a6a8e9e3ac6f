using System.Globalization;
using MediConnect.Portal.Features.Admin.Audit;
using MediConnect.Portal.Features.Admin.Health;
using MediConnect.Portal.Features.Admin.Migrations;
using MediConnect.Portal.Features.Admin.Users;
using MediConnect.Portal.Security;

namespace MediConnect.Portal.Features.Admin;

/// <summary>Registration and endpoints of the admin console (<c>/admin</c>).</summary>
public static class AdminConsoleSetup
{
    public const string AuditExportPath = "/admin/audit/export.csv";

    public static WebApplicationBuilder AddAdminConsole(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthorization();
        builder.Services.AddScoped<AdminOverviewService>();
        builder.Services.AddScoped<MigrationConsole>();
        builder.Services.AddScoped<DatabaseHealthService>();
        builder.Services.AddScoped<UserAdminService>();
        builder.Services.AddScoped<AuditBrowser>();
        return builder;
    }

    /// <summary>The CSV export of the audit log: admins only, streamed to the response as rows are read.</summary>
    public static WebApplication MapAdminConsole(this WebApplication app)
    {
        app.MapGet(AuditExportPath, ExportAuditAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.Admin))
            .ExcludeFromDescription();
        return app;
    }

    static async Task ExportAuditAsync(
        HttpContext http, AuditBrowser audit, TimeProvider clock,
        string? user, string? action, string? entity, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        var date = clock.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"audit-log-{date}.csv\"";
        try
        {
            await audit.ExportCsvAsync(new AuditQuery(user, action, entity, from, to), http.Response.Body, ct);
        }
        catch (AccessDeniedException e) when (!http.Response.HasStarted)
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            http.Response.ContentType = "text/plain; charset=utf-8";
            http.Response.Headers.ContentDisposition = default;
            await http.Response.WriteAsync(e.Message, ct);
        }
    }
}
