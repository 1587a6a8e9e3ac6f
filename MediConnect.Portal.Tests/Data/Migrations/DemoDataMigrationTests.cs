using MediConnect.Portal.Data;
using MediConnect.Portal.Data.Migrations;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MediConnect.Portal.Tests.Data.Migrations;

/// <summary>
/// Demo data (accounts with published passwords) is applied only to the zero-setup cluster or with
/// SEED_DEMO_DATA=true, never because of the environment's name; the journal records only what ran,
/// and status says how a skipped file stands.
/// </summary>
public sealed class DemoDataMigrationTests : IAsyncDisposable
{
    const string DemoFile = "002_seed_demo_data.sql";
    readonly List<NpgsqlDataSource> _dataSources = [];

    static readonly string[] RealFiles = [.. Directory.GetFiles(PostgresServer.MigrationsFolder, "*.sql").Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    async Task<NpgsqlDataSource> EmptyDatabaseAsync()
    {
        var server = await PostgresServer.GetAsync();
        var dataSource = NpgsqlDataSource.Create(await server.CreateEmptyDatabaseAsync());
        _dataSources.Add(dataSource);
        return dataSource;
    }

    static MigrationRunner Runner(NpgsqlDataSource db, string environment, bool seedDemoData = false) =>
        new(db, new MigrationOptions(PostgresServer.MigrationsFolder, seedDemoData), new TestHostEnvironment(environment), NullLogger<MigrationRunner>.Instance);

    static Task<long> DemoAccountsAsync(NpgsqlDataSource db) => db.QueryOneAsync<long>("SELECT count(*) FROM users WHERE email LIKE '%@mediconnect.demo'");

    [Fact]
    public async Task AProductionDatabaseMigratedFromEmptyHasNoDemoDataAndStatusSaysWhy()
    {
        var db = await EmptyDatabaseAsync();
        var runner = Runner(db, "Production");

        var result = await runner.RunPendingAsync("test");

        Assert.True(result.Succeeded);
        Assert.Equal(RealFiles.Where(f => f != DemoFile), result.Applied);
        Assert.Equal([DemoFile], result.Skipped);
        Assert.Contains("Skipped 002_seed_demo_data.sql: demo data is off here (SEED_DEMO_DATA=true applies it).", result.Summary);
        Assert.Equal(0, await db.QueryOneAsync<long>("SELECT count(*) FROM users"));
        Assert.Equal(0, await db.QueryOneAsync<long>("SELECT count(*) FROM schema_migrations WHERE file_name = @DemoFile", new { DemoFile }));
        var status = await runner.GetStatusAsync();
        var demo = status.Single(s => s.Name == DemoFile);
        Assert.Equal((MigrationState.Skipped, "Skipped (demo data)"), (demo.State, demo.StateLabel));
        Assert.Contains("SEED_DEMO_DATA=true", demo.Advice);
        Assert.All(status.Where(s => s.Name != DemoFile), s => Assert.Equal(MigrationState.Applied, s.State));
        Assert.Empty((await runner.RunPendingAsync("again")).Applied); // nothing pending: the health check is green
    }

    [Fact]
    public async Task TurningSeedDemoDataOnLaterAppliesTheSkippedFileOnTheNewerSchema()
    {
        var db = await EmptyDatabaseAsync();
        await Runner(db, "Production").RunPendingAsync("test");
        var seeding = Runner(db, "Production", seedDemoData: true);
        Assert.Equal(MigrationState.Pending, (await seeding.GetStatusAsync()).Single(s => s.Name == DemoFile).State);

        var result = await seeding.RunPendingAsync("test");

        Assert.True(result.Succeeded, result.Summary);
        Assert.Equal([DemoFile], result.Applied);
        Assert.True(await DemoAccountsAsync(db) > 10);
        Assert.Equal(0, await db.QueryOneAsync<long>(
            "SELECT count(*) FROM prescriptions WHERE status = 'cancelled' AND btrim(coalesce(cancellation_reason, '')) = ''"));
        Assert.All(await seeding.GetStatusAsync(), s => Assert.Equal(MigrationState.Applied, s.State));
        // Once applied it stays applied, whatever the setting says later.
        Assert.Equal(MigrationState.Applied, (await Runner(db, "Production").GetStatusAsync()).Single(s => s.Name == DemoFile).State);
    }

    [Fact]
    public async Task ApplyingTheDemoFileByNameIsRefusedWhileDemoDataIsOffEvenInDevelopment()
    {
        var db = await EmptyDatabaseAsync();
        var runner = Runner(db, "Development");

        var result = await runner.RunPendingAsync("test");
        var refused = await Assert.ThrowsAsync<MigrationException>(() => runner.RunFileAsync(DemoFile, "test"));

        Assert.Equal([DemoFile], result.Skipped);
        Assert.Contains("SEED_DEMO_DATA=true", refused.Message);
        Assert.Equal(0, await DemoAccountsAsync(db));
    }

    /// <summary>dotnet run forces Development through its launch profile, whatever database it points at: the name decides nothing.</summary>
    [Theory]
    [InlineData(null, false, false)]
    [InlineData(null, true, true)]
    [InlineData("true", false, true)]
    [InlineData("false", true, false)]
    public void DemoDataGoesOnlyIntoTheZeroSetupClusterOrWhereSeedDemoDataSaysSo(string? seedDemoData, bool zeroSetup, bool seeds)
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["SEED_DEMO_DATA"] = seedDemoData, ["ASPNETCORE_ENVIRONMENT"] = "Development" })
            .Build();

        Assert.Equal(seeds, MigrationOptions.From(config, zeroSetup).SeedDemoData);
    }

    [Fact]
    public async Task TheCommandLineStatusListsTheSkippedFileAndHowToApplyIt()
    {
        var db = await EmptyDatabaseAsync();
        var runner = Runner(db, "Production");
        var settings = new DatabaseSettings(db.ConnectionString, false, TimeSpan.FromSeconds(1));
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(0, await MigrationCli.RunAsync(["migrate", "run"], runner, settings, output, error));
        Assert.Equal(0, await MigrationCli.RunAsync(["migrate", "status"], runner, settings, output, error));

        var text = output.ToString();
        Assert.Contains("Demo data NOT applied: 002_seed_demo_data.sql (demo accounts with published passwords).", text);
        Assert.Contains("To add it on purpose: SEED_DEMO_DATA=true dotnet run --project MediConnect.Portal -- migrate run", text);
        Assert.Matches(@"skipped\s+002_seed_demo_data\.sql\s+demo data, not applied here \(set SEED_DEMO_DATA=true to apply it\)", text);
        Assert.Contains($"{RealFiles.Length - 1} applied, 0 pending, 0 changed, 1 skipped (demo data is off here)", text);
        Assert.Equal("", error.ToString());
    }

    [Theory]
    [InlineData("002_seed_demo_data.sql", true)]
    [InlineData("031_seed_demo_wards.sql", true)]
    [InlineData("003_sign_in.sql", false)]
    [InlineData("seed_demo_data.sql", false)]
    [InlineData("020_unseed_demo.sql", false)]
    public void DemoDataFilesAreNamedNumberSeedDemo(string name, bool demo) => Assert.Equal(demo, MigrationFile.IsDemoDataName(name));

    public async ValueTask DisposeAsync()
    {
        foreach (var dataSource in _dataSources)
            await dataSource.DisposeAsync();
    }
}
