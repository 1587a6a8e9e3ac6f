using MediConnect.Portal.Features.Shared.Print;
using MediConnect.Portal.Components;
using MediConnect.Portal.Components.Errors;
using MediConnect.Portal.Data;
using MediConnect.Portal.Data.Migrations;
using MediConnect.Portal.Features.Account;
using MediConnect.Portal.Features.Admin;
using MediConnect.Portal.Features.Doctor;
using MediConnect.Portal.Features.Doctor.Patients;
using MediConnect.Portal.Features.Fhir;
using MediConnect.Portal.Features.Patient;
using MediConnect.Portal.Features.Shared;
using MediConnect.Portal.Features.Shared.Documents;
using MediConnect.Portal.Features.Shared.Notifications.Delivery;
using MediConnect.Portal.Localization;
using MediConnect.Portal.Security;
using MudBlazor.Services;
using Serilog;
using Serilog.Events;

namespace MediConnect.Portal;

/// <summary>Every registration and the request pipeline of the portal, called from Program.cs.</summary>
public static class PortalSetup
{
    /// <exception cref="PortalConfigurationException">A setting is missing or malformed.</exception>
    public static WebApplicationBuilder AddPortal(this WebApplicationBuilder builder, bool commandLine = false)
    {
        builder.Configuration.AddSharedSettingsFile();
        builder.Services.AddSerilog((services, logger) =>
        {
            logger.ReadFrom.Configuration(builder.Configuration).ReadFrom.Services(services).Enrich.FromLogContext()
                .Filter.ByExcluding(PostgresXmlRepository.IsKeyRingOutage);
            // The CLI prints its own progress and errors; the log would only repeat them.
            if (commandLine)
                logger.MinimumLevel.Warning().MinimumLevel.Override("MediConnect.Portal.Data.Migrations", LogEventLevel.Fatal);
        });

        builder.Services.AddSystemd(); // ready and stopping notices under systemd (ops/systemd); nothing elsewhere
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddPortalDatabase();
        var zeroSetup = builder.Services.Any(service => service.ServiceType == typeof(ZeroSetupDatabase));
        builder.Services.AddSingleton(MigrationOptions.From(builder.Configuration, zeroSetup));
        // Migrations hold a session advisory lock for the whole run: never through a transaction pooler.
        builder.Services.AddSingleton(services =>
            ActivatorUtilities.CreateInstance<MigrationRunner>(services, services.GetRequiredService<DirectDataSource>().DataSource));

        builder.Services.AddHttpContextAccessor();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<ICurrentUser, CurrentUser>();
        builder.Services.AddScoped<AuditLog>();
        builder.Services.AddSingleton<CareTeam>();
        builder.Services.AddScoped<ChartAccessGuard>();
        builder.Services.AddSingleton<OutageLog>();
        builder.Services.AddSingleton<DatabaseOutagePage>();

        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddPortalLocalization();
        builder.AddSignIn();
        builder.Services.AddSingleton(BreakGlassSettings.From(builder.Configuration));
        builder.Services.AddSingleton(ClinicSettings.From(builder.Configuration));
        builder.Services.AddSingleton(DocumentSettings.From(builder.Configuration));
        builder.Services.AddNoticeDelivery(builder.Configuration);
        builder.Services.AddSharedFeatures().AddAdminFeatures().AddDoctorFeatures().AddPatientFeatures().AddFhirApi();
        builder.Services.AddSmsSender(builder.Configuration);
        return builder;
    }

    public static WebApplication MapPortal(this WebApplication app)
    {
        app.UseRequestLocalization(); // first: error pages and sign-in answer in the request's culture too
        app.UseSignIn();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
            app.UseHsts();
        }
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseSerilogRequestLogging(options =>
        {
            // The portal's own logger: the static one belongs to whichever portal was built last in this process.
            options.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
            options.GetLevel = RequestLogLevel;
        });
        app.UseDatabaseOutagePage();
        app.MapSignIn();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapAdminEndpoints();
        app.MapFhirApi();
        app.MapUnsubscribe();
        app.MapDocuments();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    /// <summary>
    /// Serilog's request line: Error for a failed request (an exception, a 5xx), but Warning for a
    /// calm 503 that reports an outage rather than failing: the outage page's, which
    /// <see cref="OutageLog"/> already summarises once per burst, and <c>/health</c>'s "unhealthy",
    /// which a load balancer asks for every few seconds. An outage must not bury real errors under
    /// one Error line per request.
    /// </summary>
    static LogEventLevel RequestLogLevel(HttpContext context, double elapsedMs, Exception? error) =>
        error is null && (DatabaseOutagePage.Answered(context) || IsUnhealthyAnswer(context)) ? LogEventLevel.Warning
        : error is not null || context.Response.StatusCode >= StatusCodes.Status500InternalServerError ? LogEventLevel.Error
        : LogEventLevel.Information;

    static bool IsUnhealthyAnswer(HttpContext context) =>
        context.Response.StatusCode == StatusCodes.Status503ServiceUnavailable && context.Request.Path.Equals("/health");

    /// <summary>
    /// Migrates the zero-setup cluster (or any database when <c>MIGRATE_ON_STARTUP=true</c>) before
    /// the portal serves, and stops the zero-setup cluster when the portal stops. A configured
    /// database is never migrated silently. Then checks how the Data Protection keys are kept, and
    /// creates the first one when there is none.
    /// </summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<DatabaseSettings>();
        if (settings.IgnoredSettings.Count > 0)
            app.Logger.LogWarning("DATABASE_URL is set, so {Ignored} are ignored: remove them, or remove DATABASE_URL to use them",
                string.Join(", ", settings.IgnoredSettings));
        if (settings.SslVerificationRelaxed)
            app.Logger.LogWarning("POSTGRES_SSL_REJECT_UNAUTHORIZED=false: the database connection is encrypted but the server certificate is NOT verified");

        var zeroSetup = app.Services.GetService<ZeroSetupDatabase>();
        if (zeroSetup is not null)
        {
            app.Lifetime.ApplicationStopped.Register(() => zeroSetup.Stop());
            app.Logger.LogInformation(
                "Zero-setup PostgreSQL on 127.0.0.1:{Port}, data in {Folder} (stop the portal and delete that folder to reset the demo data)",
                zeroSetup.Port, zeroSetup.Directory);
            if (zeroSetup.SharedWith.Count > 0)
                app.Logger.LogInformation(
                    "Sharing the zero-setup PostgreSQL with the portal(s) already running from this folder (pid {Pids}): it stops when the last of them stops",
                    string.Join(", ", zeroSetup.SharedWith));
        }

        if (zeroSetup is not null || DatabaseSettings.ReadBool(app.Configuration, "MIGRATE_ON_STARTUP", false))
            await MigrateAsync(app);
        await app.Services.GetRequiredService<KeyProtection>().CheckAsync();
        await app.Services.GetRequiredService<FirstDataProtectionKey>().EnsureAsync();
    }

    static async Task MigrateAsync(WebApplication app)
    {
        var result = await app.Services.GetRequiredService<MigrationRunner>().RunPendingAsync("startup");
        if (!result.Succeeded)
            throw new PortalConfigurationException($"Migrating the database at start-up failed: {result.Refusal ?? result.Failure!.ToString()}");
        if (result.Applied.Count > 0)
            app.Logger.LogInformation("Applied {Count} migration(s) at start-up: {Files}", result.Applied.Count, string.Join(", ", result.Applied));
        if (result.Skipped.Count > 0)
            app.Logger.LogInformation("Demo data is off here: skipped {Files} (SEED_DEMO_DATA=true applies it)", string.Join(", ", result.Skipped));
    }

    /// <summary>
    /// The published <c>wwwroot</c> next to the binaries when the folder the portal starts from has
    /// none (<c>dotnet /srv/portal/MediConnect.Portal.dll</c> run from elsewhere), else null: the
    /// default. Without it every script and style is served as an empty file and no page becomes
    /// interactive.
    /// </summary>
    internal static string? PublishedWebRoot(string contentRoot, string binaries) =>
        !Directory.Exists(Path.Combine(contentRoot, "wwwroot")) && Directory.Exists(Path.Combine(binaries, "wwwroot"))
            ? Path.Combine(binaries, "wwwroot")
            : null;

    /// <summary>
    /// The repository's <c>appsettings.json</c> is copied next to the binaries; read it from there
    /// (lowest precedence), so it applies whether the portal starts from the repository root, its
    /// project folder or a publish folder, and environment variables still override it.
    /// </summary>
    internal static void AddSharedSettingsFile(this ConfigurationManager configuration)
    {
        var file = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        if (!File.Exists(file))
            return;
        configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource
        {
            Path = "appsettings.json",
            Optional = true,
            FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(AppContext.BaseDirectory),
        });
    }
}
