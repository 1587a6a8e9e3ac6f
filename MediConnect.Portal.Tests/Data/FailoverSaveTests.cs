using MediConnect.Portal.Data;
using MediConnect.Portal.Data.Migrations;
using MediConnect.Portal.Features.Patient.Vitals;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Components.Errors;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MediConnect.Portal.Tests.Data;

/// <summary>
/// A real failover under the portal's multi-host connection string (<c>Host=primary,standby;Target
/// Session Attributes=primary</c>): a streaming standby on loopback, the primary killed, the standby
/// promoted. The data source is the portal's own (<see cref="DataSourceSetup.AddPortalDatabase"/>).
/// </summary>
public sealed class FailoverSaveTests
{
    [Fact]
    public async Task ASaveDuringFailoverSaysNotSavedAndTheFirstSaveAfterPromotionIsStoredOnTheNewPrimary()
    {
        DapperConventions.Apply();
        await using var cluster = await ReplicatedPostgres.StartAsync();
        await MigrateAsync(cluster.PrimaryConnectionString);
        await using var services = PortalServices(cluster);
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        var recorder = await RecorderAsync(dataSource);

        await recorder.RecordAsync(new VitalReadingInput(HeartRate: 70, Notes: "before the failover"));
        await cluster.WaitForReplayAsync();
        var stored = await ReadingCountAsync(cluster.StandbyConnectionString);

        await cluster.KillPrimaryAsync();
        foreach (var attempt in (string[])["on the killed primary's pooled connection", "with no primary among the hosts"])
        {
            var error = await Assert.ThrowsAnyAsync<Exception>(() => recorder.RecordAsync(new VitalReadingInput(HeartRate: 71, Notes: attempt)));
            Assert.Equal(OutageShapeTests.NotSaved, DatabaseOutage.FormMessage(error));
        }
        Assert.Equal(stored, await ReadingCountAsync(cluster.StandbyConnectionString));

        await cluster.PromoteStandbyAsync();
        await recorder.RecordAsync(new VitalReadingInput(HeartRate: 72, Notes: "after the promotion"));

        Assert.Equal(stored + 1, await ReadingCountAsync(cluster.StandbyConnectionString));
    }

    /// <summary>The portal's database services, configured as an operator would for a primary and its standby.</summary>
    static ServiceProvider PortalServices(ReplicatedPostgres cluster)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production, DisableDefaults = true });
        var hosts = new NpgsqlConnectionStringBuilder(cluster.PrimaryConnectionString)
        {
            Host = $"127.0.0.1:{cluster.Primary.Port},127.0.0.1:{cluster.Standby.Port}",
            TargetSessionAttributes = "primary",
        };
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = hosts.ConnectionString });
        builder.AddPortalDatabase();
        return builder.Services.BuildServiceProvider();
    }

    static async Task MigrateAsync(string connectionString)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var runner = new MigrationRunner(dataSource, new MigrationOptions(PostgresServer.MigrationsFolder, SeedDemoData: true),
            new TestHostEnvironment(Environments.Development), NullLogger<MigrationRunner>.Instance);
        var result = await runner.RunPendingAsync("tests");
        Assert.True(result.Succeeded, result.Refusal);
    }

    static async Task<VitalSignsRecorder> RecorderAsync(NpgsqlDataSource dataSource)
    {
        var (id, name) = await dataSource.QueryOneAsync<(int, string)>("SELECT id, name FROM users WHERE email = @email", new { email = Demo.Emily });
        var patient = new TestCurrentUser(new PortalUser(id, Demo.Emily, name, Roles.Patient, IpAddress: "127.0.0.1", UserAgent: "tests"));
        return new VitalSignsRecorder(dataSource, patient, Demo.Audit(patient), new CareTeam(dataSource, TimeProvider.System), TimeProvider.System);
    }

    static Task<long> ReadingCountAsync(string connectionString) =>
        ReplicatedPostgres.ScalarAsync<long>(connectionString, "SELECT count(*) FROM vital_signs");
}
