using System.Globalization;
using MediConnect.Portal.Data;
using Npgsql;

namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>
/// The portal as a clinic chain runs it, every part a real program on loopback: a primary
/// PostgreSQL and a streaming standby built from it, PgBouncer in transaction mode in front of
/// the primary, portal instances (<c>dotnet MediConnect.Portal.dll</c>) that connect through
/// PgBouncer, migrate at start-up over a direct connection, and read lag-tolerant pages from the
/// standby, and nginx with TLS in front of them. The database starts empty: the instances,
/// started together, migrate it.
/// </summary>
public class ScaledOutPortal : IAsyncLifetime
{
    PortalProcess[] _instances = [];
    int[] _ports = [];

    public ReplicatedPostgres Database { get; private set; } = null!;
    public PgBouncerServer PgBouncer { get; private set; } = null!;
    public NginxProxy Proxy { get; private set; } = null!;

    /// <summary>The primary, for the tests' own reads and writes.</summary>
    public NpgsqlDataSource Primary { get; private set; } = null!;

    public IReadOnlyList<PortalProcess> Instances => _instances;

    /// <summary>The monitoring token that shows <c>/health</c>'s details (<c>reads</c>, <c>live</c>) to the tests.</summary>
    public const string HealthDetailsToken = "scale-out-monitoring-token";

    protected virtual int InstanceCount => 3;

    public async ValueTask InitializeAsync()
    {
        DapperConventions.Apply();
        try
        {
            Database = await ReplicatedPostgres.StartAsync();
            Primary = NpgsqlDataSource.Create(Database.PrimaryConnectionString);
            PgBouncer = await PgBouncerServer.StartAsync(Database.Primary.Port, Database.Password);
            _ports = [.. Enumerable.Range(0, InstanceCount).Select(_ => LocalPostgresCluster.FreePort())];
            _instances = [.. _ports.Select(port => PortalProcess.StartOn(port, Environment()))];
            await Task.WhenAll(_instances.Select(i => i.WaitUntilHealthyAsync(TimeSpan.FromMinutes(3))));
            Proxy = await NginxProxy.StartAsync(_instances.Select(i => i.Address));
            await Database.WaitForReplayAsync();
        }
        catch
        {
            await DisposeAsync(); // whatever started is stopped: no process outlives a failed start
            throw;
        }
    }

    /// <summary>What an operator sets on each instance (docs/operations/scale-out.md).</summary>
    Dictionary<string, string> Environment() => new()
    {
        // Development: the instances run from the build output, whose static files only Development maps (a published build serves its own).
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
        ["DATABASE_URL"] = Database.Url(PgBouncer.Port, "?pgbouncer=true"),
        ["DATABASE_DIRECT_URL"] = Database.Url(Database.Primary.Port),
        ["DATABASE_READ_URL"] = Database.Url(Database.Standby.Port),
        ["DATABASE_READ_RECHECK_SECONDS"] = "1",
        ["TRUSTED_PROXIES"] = NginxProxy.ProxyAddress,
        ["MIGRATE_ON_STARTUP"] = "true",
        // The journeys sign in as the demo accounts, with their password: demo data asked for by
        // name (it is not tied to Development), and no role made to enrol an authenticator. A user
        // who has one still signs in with its codes, which the two-factor scale-out test does.
        ["SEED_DEMO_DATA"] = "true",
        ["REQUIRE_2FA_FOR"] = "none",
        ["POSTGRES_POOL_MAX"] = "10",
        ["HEALTH_DETAILS_TOKEN"] = HealthDetailsToken,
        ["Serilog__MinimumLevel__Default"] = "Warning",
    };

    /// <summary>The index of the instance nginx named in <c>X-Upstream</c> (<c>127.0.0.1:port</c>).</summary>
    public int IndexOf(string upstream) =>
        Array.FindIndex(_ports, port => upstream == $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>Kills an instance outright (SIGKILL), as a crash or a lost machine would.</summary>
    public Task KillAsync(int index) => _instances[index].DisposeAsync().AsTask();

    /// <summary>Starts an instance again on its old port, where nginx expects it.</summary>
    public async Task RestartAsync(int index)
    {
        await _instances[index].DisposeAsync();
        _instances[index] = PortalProcess.StartOn(_ports[index], Environment());
        await _instances[index].WaitUntilHealthyAsync(TimeSpan.FromMinutes(3));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
            await instance.DisposeAsync();
        if (Proxy is not null)
            await Proxy.DisposeAsync();
        if (PgBouncer is not null)
            await PgBouncer.DisposeAsync();
        if (Primary is not null)
            await Primary.DisposeAsync();
        if (Database is not null)
            await Database.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
