using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>
/// The real portal, in process, on the given database. <see cref="StartOnKestrel"/> serves it on
/// a real port for the browser tests; otherwise requests go through the in-memory test server.
/// Unless the settings say otherwise, no role needs a second factor (<c>REQUIRE_2FA_FOR=none</c>),
/// so tests sign the demo admin and doctors in with their password; the two-factor tests set
/// <c>REQUIRE_2FA_FOR</c> themselves and sign in with codes they compute.
/// <paramref name="services"/> replaces registrations after the portal's own (e.g. a setting no configuration key reaches).
/// </summary>
public sealed class PortalFactory(
    string connectionString,
    IReadOnlyDictionary<string, string?>? settings = null,
    Action<IServiceCollection>? services = null) : WebApplicationFactory<Program>
{
    /// <summary>Serves the portal on a free loopback port and returns its base address.</summary>
    public Uri StartOnKestrel()
    {
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
    }

    // Program.cs is started through a process-wide hook that catches "the host being built": two
    // factories building at once can each catch the other's host and leave one running after the
    // tests (seen with two Kestrel portals in parallel). Build one host at a time.
    static readonly Lock BuildGate = new();

    protected override IHost CreateHost(IHostBuilder builder)
    {
        lock (BuildGate)
            return base.CreateHost(builder);
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
        builder.UseSetting("REQUIRE_2FA_FOR", "none");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            builder.UseSetting(key, value);
        if (services is not null)
            builder.ConfigureTestServices(services);
    }
}
