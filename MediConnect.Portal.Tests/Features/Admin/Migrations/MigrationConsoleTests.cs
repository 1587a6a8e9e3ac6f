using MediConnect.Portal.Data;
using MediConnect.Portal.Data.Migrations;
using MediConnect.Portal.Features.Admin.Migrations;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MediConnect.Portal.Tests.Features.Admin.Migrations;

/// <summary>
/// The migrations page's service against real PostgreSQL: each test gets a migrated database of
/// its own and a copy of the real migrations folder with extra files of its own.
/// </summary>
public sealed class MigrationConsoleTests : IAsyncDisposable
{
    const string ExtraFile = "900_admin_test_extra.sql";
    const string FailingFile = "901_admin_test_fails.sql";
    const string ExtraSql = "CREATE TABLE admin_test_extra (id int);\n";
    const string FailingSql = "CREATE TABLE admin_test_half_done (id int);\nINSERT INTO admin_test_half_done VALUES (1);\nSELECT no_such_column\n  FROM admin_test_half_done;\n";

    static readonly string[] RealFiles = [.. Directory.GetFiles(PostgresServer.MigrationsFolder, "*.sql").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    readonly List<TestDatabase> _databases = [];
    readonly List<NpgsqlDataSource> _dataSources = [];
    readonly List<string> _folders = [];

    async Task<TestDatabase> DatabaseAsync()
    {
        var database = new TestDatabase();
        await database.InitializeAsync();
        _databases.Add(database);
        return database;
    }

    /// <summary>The real migration files plus the given extra ones, in a folder of the test's own.</summary>
    string Folder(params (string Name, string Sql)[] extra)
    {
        var folder = Directory.CreateTempSubdirectory("admin-migrations-").FullName;
        _folders.Add(folder);
        foreach (var file in Directory.GetFiles(PostgresServer.MigrationsFolder, "*.sql"))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        foreach (var (name, sql) in extra)
            File.WriteAllText(Path.Combine(folder, name), sql);
        return folder;
    }

    static async Task<MigrationConsole> ConsoleAsync(TestDatabase database, NpgsqlDataSource dataSource, string folder, string environment = "Development",
        MigrationOptions? options = null)
    {
        var admin = await database.SignedInAsync(SignIn.AdminEmail);
        var runner = new MigrationRunner(dataSource, options ?? new MigrationOptions(folder, SeedDemoData: true), new TestHostEnvironment(environment), NullLogger<MigrationRunner>.Instance);
        return new MigrationConsole(runner, dataSource, admin, new AuditLog(admin), NullLogger<MigrationConsole>.Instance);
    }

    static Task<bool> TableExistsAsync(NpgsqlDataSource db, string table) =>
        db.QueryOneAsync<bool>("SELECT to_regclass(@table) IS NOT NULL", new { table });

    [Fact]
    public async Task StatusShowsAppliedFilesWithWhoAndWhenAndThePendingOne()
    {
        var database = await DatabaseAsync();
        var console = await ConsoleAsync(database, database.DataSource, Folder((ExtraFile, ExtraSql)));

        var overview = await console.GetOverviewAsync();

        Assert.Equal([.. RealFiles, ExtraFile], overview.Rows.Select(r => r.Name));
        Assert.All(overview.Rows.Where(r => r.Name != ExtraFile), r =>
        {
            Assert.Equal(MigrationState.Applied, r.State);
            Assert.Equal("Applied", r.StateLabel);
            Assert.Equal("tests", r.AppliedBy);
            Assert.NotNull(r.AppliedAt);
            Assert.NotNull(r.DurationMs);
            Assert.Null(r.Advice);
        });
        var pending = overview.Rows.Single(r => r.Name == ExtraFile);
        Assert.Equal(("Pending", MigrationRunner.Checksum(ExtraSql)), (pending.StateLabel, pending.Checksum));
        Assert.Equal(RealFiles[^1], overview.CurrentVersion);
        Assert.Equal([ExtraFile], overview.Pending);
        Assert.True(overview.CanRun);
        Assert.Equal(await database.DataSource.QueryOneAsync<string>("SELECT current_database()"), overview.DatabaseName);
    }

    [Fact]
    public async Task FileChangedSinceAppliedIsShownWithWhatToDoAndBlocksRunning()
    {
        var database = await DatabaseAsync();
        var folder = Folder((ExtraFile, ExtraSql));
        File.AppendAllText(Path.Combine(folder, RealFiles[0]), "\n-- edited after it was applied\n");
        var console = await ConsoleAsync(database, database.DataSource, folder);

        var overview = await console.GetOverviewAsync();
        var result = await console.RunPendingAsync();

        var changed = overview.Rows.Single(r => r.Name == RealFiles[0]);
        Assert.Equal(("Changed since applied", MigrationState.Changed), (changed.StateLabel, changed.State));
        Assert.Contains("Restore the applied version", changed.Advice);
        Assert.False(overview.CanRun);
        Assert.False(result.Succeeded);
        Assert.StartsWith("Refused:", result.Summary);
        Assert.False(await TableExistsAsync(database.DataSource, "admin_test_extra"));
    }

    [Fact]
    public async Task RunningFromThePageAppliesThePendingFileReportsEachStepAndWritesTheAuditRow()
    {
        var database = await DatabaseAsync();
        var console = await ConsoleAsync(database, database.DataSource, Folder((ExtraFile, ExtraSql)));
        var steps = new List<MigrationStep>();

        var result = await console.RunPendingAsync(new SynchronousProgress<MigrationStep>(steps.Add));
        var after = await console.GetOverviewAsync();

        Assert.True(result.Succeeded);
        Assert.Equal([ExtraFile], result.Applied);
        Assert.Equal($"Applied 1 migration(s): {ExtraFile}.", result.Summary);
        Assert.Equal([(ExtraFile, MigrationStepKind.Started), (ExtraFile, MigrationStepKind.Applied)], steps.Select(s => (s.File, s.Kind)));
        Assert.True(await TableExistsAsync(database.DataSource, "admin_test_extra"));
        var row = after.Rows.Single(r => r.Name == ExtraFile);
        Assert.Equal((MigrationState.Applied, $"web:{SignIn.AdminEmail}"), (row.State, row.AppliedBy));
        Assert.Empty(after.Pending);
        Assert.Equal(ExtraFile, after.CurrentVersion);

        var adminId = await database.UserIdAsync(SignIn.AdminEmail);
        var audit = await database.DataSource.QueryOneAsync<(int?, string, string)>(
            "SELECT user_id, entity_type, new_values::text FROM audit_log WHERE action = 'migration_run'");
        Assert.Equal(adminId, audit.Item1);
        Assert.Equal("migration", audit.Item2);
        Assert.Contains(ExtraFile, audit.Item3);
    }

    [Fact]
    public async Task RunningFromThePageInDevelopmentLeavesDemoDataOutUnlessSeedDemoDataIsTrue()
    {
        const string demoFile = "902_seed_demo_admin_test.sql";
        var database = await DatabaseAsync();
        var folder = Folder((demoFile, "CREATE TABLE admin_test_demo (id int);\n"));
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["MIGRATIONS_DIR"] = folder }).Build();
        var console = await ConsoleAsync(database, database.DataSource, folder, "Development", MigrationOptions.From(config, zeroSetup: false));

        var result = await console.RunPendingAsync();

        Assert.True(result.Succeeded, result.Summary);
        Assert.Empty(result.Applied);
        Assert.Equal($"Nothing to apply: the database is up to date. Skipped {demoFile}: demo data is off here (SEED_DEMO_DATA=true applies it).", result.Summary);
        Assert.False(await TableExistsAsync(database.DataSource, "admin_test_demo"));
        Assert.Equal(MigrationState.Skipped, (await console.GetOverviewAsync()).Rows.Single(r => r.Name == demoFile).State);
    }

    [Fact]
    public async Task FailingFileLeavesTheDatabaseAsItWasAndThePageShowsFileLineAndMessage()
    {
        var database = await DatabaseAsync();
        var console = await ConsoleAsync(database, database.DataSource, Folder((FailingFile, FailingSql)));
        var steps = new List<MigrationStep>();

        var result = await console.RunPendingAsync(new SynchronousProgress<MigrationStep>(steps.Add));
        var after = await console.GetOverviewAsync();

        Assert.False(result.Succeeded);
        Assert.Equal((FailingFile, 3, "42703"), (result.Failure!.File, result.Failure.Line, result.Failure.SqlState));
        Assert.Contains($"{FailingFile} failed at line 3", result.Summary);
        Assert.Contains("no_such_column", result.Summary);
        Assert.Contains("rolled back", result.Summary);
        Assert.Equal(MigrationStepKind.Failed, steps[^1].Kind);
        Assert.False(await TableExistsAsync(database.DataSource, "admin_test_half_done"));
        Assert.Equal(MigrationState.Pending, after.Rows.Single(r => r.Name == FailingFile).State);
        Assert.Equal(RealFiles[^1], after.CurrentVersion);
        Assert.Contains("no_such_column", await database.DataSource.QueryOneAsync<string>(
            "SELECT new_values::text FROM audit_log WHERE action = 'migration_run'"));
    }

    [Fact]
    public async Task TwoConcurrentRunsFromTwoServicesApplyThePendingFileOnce()
    {
        var database = await DatabaseAsync();
        var folder = Folder((ExtraFile, "CREATE TABLE admin_test_extra (id int); SELECT pg_sleep(0.3);"));
        var first = NpgsqlDataSource.Create(database.ConnectionString);
        var second = NpgsqlDataSource.Create(database.ConnectionString);
        _dataSources.AddRange([first, second]);
        var consoles = new[] { await ConsoleAsync(database, first, folder), await ConsoleAsync(database, second, folder) };

        var results = await Task.WhenAll(consoles.Select(c => Task.Run(() => c.RunPendingAsync())));

        Assert.All(results, r => Assert.True(r.Succeeded, r.Summary));
        Assert.Equal([ExtraFile], results.SelectMany(r => r.Applied));
        Assert.Contains(results, r => r.Summary == "Nothing to apply: the database is up to date.");
        Assert.Equal(1, await database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM schema_migrations WHERE file_name = @ExtraFile", new { ExtraFile }));
    }

    [Fact]
    public async Task RunOneFileByNameAppliesOnlyThatFileAndAnUnknownNameIsAClearMessage()
    {
        var database = await DatabaseAsync();
        var console = await ConsoleAsync(database, database.DataSource, Folder((ExtraFile, ExtraSql), (FailingFile, FailingSql)));

        var result = await console.RunFileAsync(ExtraFile);
        var unknown = await Assert.ThrowsAsync<BusinessRuleException>(() => console.RunFileAsync("999_nope.sql"));

        Assert.Equal([ExtraFile], result.Applied);
        Assert.Equal([FailingFile], (await console.GetOverviewAsync()).Pending);
        Assert.Contains("999_nope.sql", unknown.Message);
        Assert.Equal(1, await database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'migration_run_file'"));
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public async Task RollbackIsRefusedOutsideDevelopment(string environment)
    {
        var database = await DatabaseAsync();
        var console = await ConsoleAsync(database, database.DataSource, Folder(), environment);
        var overview = await console.GetOverviewAsync();

        var error = await Assert.ThrowsAsync<BusinessRuleException>(() => console.RollbackAsync(overview.DatabaseName));

        Assert.False(overview.RollbackAllowed);
        Assert.Contains("only in Development", error.Message);
        Assert.True(await TableExistsAsync(database.DataSource, "users"));
    }

    [Fact]
    public async Task RollbackInDevelopmentNeedsTheDatabaseNameTypedExactly()
    {
        var database = await DatabaseAsync();
        var console = await ConsoleAsync(database, database.DataSource, Folder());

        var error = await Assert.ThrowsAsync<BusinessRuleException>(() => console.RollbackAsync("mediconnect"));
        Assert.Contains("Type the database name", error.Message);
        Assert.True(await TableExistsAsync(database.DataSource, "users"));

        await console.RollbackAsync((await console.GetOverviewAsync()).DatabaseName);
        Assert.False(await TableExistsAsync(database.DataSource, "users"));
        Assert.All((await console.GetOverviewAsync()).Rows, r => Assert.Equal(MigrationState.Pending, r.State));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var dataSource in _dataSources)
            await dataSource.DisposeAsync();
        foreach (var database in _databases)
            await database.DisposeAsync();
        foreach (var folder in _folders)
            Directory.Delete(folder, recursive: true);
    }

}
