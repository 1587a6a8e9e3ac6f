using MediConnect.Portal.Data;

namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>
/// Two portal instances (<c>dotnet MediConnect.Portal.dll</c>) on a <see cref="PatroniCluster"/>,
/// configured as docs/operations/high-availability.md says: one Npgsql multi-host connection
/// string naming every node with <c>Target Session Attributes=primary</c>, and the nodes' REST
/// APIs for the admin health page. The database starts empty: the instances migrate it.
/// </summary>
public sealed class PatroniPortal : IAsyncLifetime
{
    PortalProcess[] _instances = [];

    public PatroniCluster Cluster { get; private set; } = null!;
    public IReadOnlyList<PortalProcess> Instances => _instances;

    public const string HealthDetailsToken = "patroni-monitoring-token";

    public async ValueTask InitializeAsync()
    {
        DapperConventions.Apply();
        try
        {
            Cluster = await PatroniCluster.StartAsync();
            _instances = [PortalProcess.Start(Environment()), PortalProcess.Start(Environment())];
            await Task.WhenAll(_instances.Select(i => i.WaitUntilHealthyAsync(TimeSpan.FromMinutes(3))));
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>What an operator sets on each instance (docs/operations/high-availability.md).</summary>
    Dictionary<string, string> Environment() => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Development", // static files from the build output
        ["ConnectionStrings__Postgres"] = Cluster.ConnectionString(),
        ["PATRONI_REST_URLS"] = Cluster.RestUrls,
        ["MIGRATE_ON_STARTUP"] = "true",
        ["SEED_DEMO_DATA"] = "true",
        ["REQUIRE_2FA_FOR"] = "none",
        ["POSTGRES_POOL_MAX"] = "10",
        ["HEALTH_DETAILS_TOKEN"] = HealthDetailsToken,
        ["Serilog__MinimumLevel__Default"] = "Warning",
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
            await instance.DisposeAsync();
        if (Cluster is not null)
            await Cluster.DisposeAsync();
    }
}
