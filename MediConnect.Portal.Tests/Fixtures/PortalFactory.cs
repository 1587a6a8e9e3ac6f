using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>
/// The real portal, in process, on the given database. <see cref="StartOnKestrel"/> serves it on
/// a real port for the browser tests; otherwise requests go through the in-memory test server.
/// </summary>
public sealed class PortalFactory(string connectionString, IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    /// <summary>Serves the portal on a free loopback port and returns its base address.</summary>
    public Uri StartOnKestrel()
    {
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(settings?.GetValueOrDefault("ENVIRONMENT") ?? "Development");
        builder.UseSetting("ConnectionStrings:Postgres", connectionString);
        builder.UseSetting("MIGRATIONS_DIR", PostgresServer.MigrationsFolder);
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        // The sign-in rate limit counts in the database, per client address, across every host on it:
        // all hosts of a test class share one address (loopback, or none in memory), so it is raised
        // here; LoginRateLimitTests and the scale-out journeys test it with their own limits.
        builder.UseSetting("LOGIN_RATE_LIMIT_PER_MINUTE", "1000");
        builder.UseSetting("Serilog:WriteTo:1:Args:path", Path.Combine(Path.GetTempPath(), "mediconnect-test-logs", "portal-.log"));
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            builder.UseSetting(key, value);
    }
}
