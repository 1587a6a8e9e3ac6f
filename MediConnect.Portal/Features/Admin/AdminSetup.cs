using MediConnect.Portal.Features.Admin.Audit;
using MediConnect.Portal.Features.Admin.BreakGlass;
using MediConnect.Portal.Features.Admin.Cluster;
using MediConnect.Portal.Features.Admin.Delivery;
using MediConnect.Portal.Features.Admin.Health;
using MediConnect.Portal.Features.Admin.Home;
using MediConnect.Portal.Features.Admin.Migrations;
using MediConnect.Portal.Features.Admin.Users;

namespace MediConnect.Portal.Features.Admin;

/// <summary>The admin's screens (<c>/admin</c>) and the endpoints beside them: the audit export and <c>/health</c>.</summary>
public static class AdminSetup
{
    public static IServiceCollection AddAdminFeatures(this IServiceCollection services)
    {
        services.AddSingleton(s => HealthDetailsAccess.From(s.GetRequiredService<IConfiguration>()));
        services.AddScoped<AdminOverviewService>();
        services.AddSingleton<ClinicTotals>();
        services.AddScoped<MigrationConsole>();
        services.AddScoped<DatabaseHealthService>();
        services.AddSingleton<DatabaseHealthSampler>();
        services.AddScoped<UserAdminService>();
        services.AddScoped<AuditBrowser>();
        services.AddScoped<BreakGlassReview>();
        services.AddScoped<DeliveryBoard>();
        services.AddSingleton(s => new DatabaseCluster(DatabaseCluster.ReadUrls(s.GetRequiredService<IConfiguration>()), new HttpClient(),
            s.GetRequiredService<ILogger<DatabaseCluster>>()));
        services.AddHostedService<FailoverWatch>();
        return services;
    }

    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealth();
        app.MapAuditExport();
        return app;
    }
}
