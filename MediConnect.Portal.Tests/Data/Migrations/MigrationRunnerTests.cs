using Dapper;
using MediConnect.Portal.Data;
using MediConnect.Portal.Data.Migrations;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MediConnect.Portal.Tests.Data.Migrations;

/// <summary>Every test gets an empty database of its own and, where it needs one, a migrations folder of its own.</summary>
public sealed class MigrationRunnerTests : IAsyncDisposable
{
    readonly List<NpgsqlDataSource> _dataSources = [];
    readonly List<string> _folders = [];

    async Task<NpgsqlDataSource> EmptyDatabaseAsync()
    {
        var server = await PostgresServer.GetAsync();
        var dataSource = NpgsqlDataSource.Create(await server.CreateEmptyDatabaseAsync());
        _dataSources.Add(dataSource);
        return dataSource;
    }

    string Folder(params (string Name, string Sql)[] files)
    {
        var folder = Directory.CreateTempSubdirectory("migrations-").FullName;
        _folders.Add(folder);
        foreach (var (name, sql) in files)
            File.WriteAllText(Path.Combine(folder, name), sql);
        return folder;
    }

    static MigrationRunner Runner(NpgsqlDataSource dataSource, string folder, string environment = "Development") =>
        new(dataSource, new MigrationOptions(folder, SeedDemoData: true), new TestHostEnvironment(environment), NullLogger<MigrationRunner>.Instance);

    static Task<bool> TableExistsAsync(NpgsqlDataSource db, string table) =>
        db.QueryOneAsync<bool>("SELECT to_regclass(@table) IS NOT NULL", new { table });

    static readonly string[] RealFiles = [.. Directory.GetFiles(PostgresServer.MigrationsFolder, "*.sql").Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    [Fact]
    public async Task RunOnAnEmptyDatabaseAppliesEveryRealMigrationInNameOrder()
    {
        var db = await EmptyDatabaseAsync();
        var steps = new List<MigrationStep>();

        var result = await Runner(db, PostgresServer.MigrationsFolder).RunPendingAsync("test", new SynchronousProgress<MigrationStep>(steps.Add));

        Assert.True(result.Succeeded);
        Assert.Equal(RealFiles, result.Applied);
        Assert.Equal(RealFiles, steps.Where(s => s.Kind == MigrationStepKind.Applied).Select(s => s.File));
        Assert.Equal(RealFiles, await db.QueryListAsync<string>("SELECT file_name FROM schema_migrations ORDER BY id"));
        Assert.True(await db.QueryOneAsync<long>("SELECT count(*) FROM users") > 0);
    }

    // 051_no_jit.sql: at clinic-chain scale a large estimate made PostgreSQL compile a 60 ms query for 0.9 s.
    // (A database cloned from a template does not inherit the setting: this one runs the migrations.)
    [Fact]
    public async Task TheRealMigrationsTurnJitOffForTheDatabasesNewSessions()
    {
        var empty = await (await PostgresServer.GetAsync()).CreateEmptyDatabaseAsync();
        await using (var db = NpgsqlDataSource.Create(empty))
            Assert.True((await Runner(db, PostgresServer.MigrationsFolder).RunPendingAsync("test")).Succeeded);

        var unpooled = new NpgsqlConnectionStringBuilder(empty) { Pooling = false };
        await using var connection = new NpgsqlConnection(unpooled.ConnectionString);
        await connection.OpenAsync();
        Assert.Equal("off", await new NpgsqlCommand("SHOW jit", connection).ExecuteScalarAsync());
    }

    [Fact]
    public async Task SecondRunAppliesNothing()
    {
        var db = await EmptyDatabaseAsync();
        var runner = Runner(db, PostgresServer.MigrationsFolder);
        await runner.RunPendingAsync("test");

        var second = await runner.RunPendingAsync("test");

        Assert.True(second.Succeeded);
        Assert.Empty(second.Applied);
        Assert.Equal(RealFiles.Length, await db.QueryOneAsync<long>("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task StatusShowsPendingBeforeAndAppliedAfterARun()
    {
        var db = await EmptyDatabaseAsync();
        var runner = Runner(db, PostgresServer.MigrationsFolder);

        var before = await runner.GetStatusAsync();
        await runner.RunPendingAsync("status-test");
        var after = await runner.GetStatusAsync();

        Assert.All(before, s => Assert.Equal(MigrationState.Pending, s.State));
        Assert.Equal(RealFiles, before.Select(s => s.Name));
        Assert.All(after, s =>
        {
            Assert.Equal(MigrationState.Applied, s.State);
            Assert.Equal("status-test", s.AppliedBy);
            Assert.NotNull(s.AppliedAt);
            Assert.Equal(s.Checksum, s.AppliedChecksum);
        });
    }

    [Fact]
    public async Task FileChangedAfterItWasAppliedIsReportedAndBlocksTheRun()
    {
        var db = await EmptyDatabaseAsync();
        var folder = Folder(("001_first.sql", "CREATE TABLE first_table (id int);"));
        var runner = Runner(db, folder);
        await runner.RunPendingAsync("test");
        File.WriteAllText(Path.Combine(folder, "001_first.sql"), "CREATE TABLE first_table (id int, extra text);");
        File.WriteAllText(Path.Combine(folder, "002_second.sql"), "CREATE TABLE second_table (id int);");

        var status = await runner.GetStatusAsync();
        var result = await runner.RunPendingAsync("test");

        Assert.Equal([MigrationState.Changed, MigrationState.Pending], status.Select(s => s.State));
        Assert.False(result.Succeeded);
        Assert.Contains("001_first.sql changed since applied", result.Refusal);
        Assert.False(await TableExistsAsync(db, "second_table"));
    }

    [Fact]
    public async Task StatusesReadTheFilesAgainOnlyAfterOneWasAddedOrWritten()
    {
        var folder = Folder(("001_first.sql", "CREATE TABLE first_table (id int);"));
        var runner = Runner(await EmptyDatabaseAsync(), folder);

        var first = runner.LoadFiles();
        var unchanged = runner.LoadFiles();
        File.WriteAllText(Path.Combine(folder, "002_second.sql"), "CREATE TABLE second_table (id int);");
        var added = runner.LoadFiles();
        File.AppendAllText(Path.Combine(folder, "001_first.sql"), "\n-- a comment\n");
        var written = runner.LoadFiles();

        Assert.Same(first, unchanged); // the admin home opening again hashes nothing
        Assert.Equal(["001_first.sql", "002_second.sql"], added.Select(f => f.Name));
        Assert.NotEqual(added[0].Checksum, written[0].Checksum);
        Assert.Equal(written[0].Checksum, MigrationRunner.Checksum(await File.ReadAllTextAsync(Path.Combine(folder, "001_first.sql"))));
    }

    [Fact]
    public async Task LineEndingsAloneDoNotCountAsAChange()
    {
        var db = await EmptyDatabaseAsync();
        var folder = Folder(("001_first.sql", "CREATE TABLE t (id int);\nCREATE TABLE u (id int);\n"));
        var runner = Runner(db, folder);
        await runner.RunPendingAsync("test");
        File.WriteAllText(Path.Combine(folder, "001_first.sql"), "CREATE TABLE t (id int);\r\nCREATE TABLE u (id int);\r\n");

        Assert.Equal(MigrationState.Applied, Assert.Single(await runner.GetStatusAsync()).State);
    }

    [Fact]
    public async Task FileFailingHalfWayLeavesNoTableAndNoJournalRowAndNamesTheLine()
    {
        var db = await EmptyDatabaseAsync();
        var folder = Folder(
            ("001_good.sql", "CREATE TABLE good_table (id int);"),
            ("002_bad.sql", "CREATE TABLE half_table (id int);\n\nINSERT INTO half_table VALUES (1);\nSELECT no_such_column\n  FROM half_table;\n"),
            ("003_after.sql", "CREATE TABLE after_table (id int);"));

        var result = await Runner(db, folder).RunPendingAsync("test");

        Assert.Equal(["001_good.sql"], result.Applied);
        Assert.NotNull(result.Failure);
        Assert.Equal("002_bad.sql", result.Failure.File);
        Assert.Equal(4, result.Failure.Line);
        Assert.Equal("42703", result.Failure.SqlState);
        Assert.Contains("no_such_column", result.Failure.Message);
        Assert.False(await TableExistsAsync(db, "half_table"));
        Assert.False(await TableExistsAsync(db, "after_table"));
        Assert.Equal(["001_good.sql"], await db.QueryListAsync<string>("SELECT file_name FROM schema_migrations"));
    }

    [Fact]
    public async Task TenConcurrentRunsApplyEachFileExactlyOnce()
    {
        var server = await PostgresServer.GetAsync();
        var connectionString = await server.CreateEmptyDatabaseAsync();
        // Not idempotent on purpose: applying a file twice would fail on the existing table.
        var folder = Folder(
            ("001_a.sql", "CREATE TABLE a (id int); SELECT pg_sleep(0.2);"),
            ("002_b.sql", "CREATE TABLE b (id int);"),
            ("003_c.sql", "CREATE TABLE c (id int);"));
        var dataSources = Enumerable.Range(0, 10).Select(_ => NpgsqlDataSource.Create(connectionString)).ToList();
        _dataSources.AddRange(dataSources);

        var results = await Task.WhenAll(dataSources.Select(ds => Task.Run(() => Runner(ds, folder).RunPendingAsync("concurrent"))));

        Assert.All(results, r => Assert.True(r.Succeeded, r.Failure?.ToString() ?? r.Refusal));
        Assert.Equal(["001_a.sql", "002_b.sql", "003_c.sql"], results.SelectMany(r => r.Applied).Order());
        Assert.Equal(3, await dataSources[0].QueryOneAsync<long>("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task SpecificAppliesOnlyTheNamedFileAndRefusesAnUnknownOne()
    {
        var db = await EmptyDatabaseAsync();
        var folder = Folder(("001_a.sql", "CREATE TABLE a (id int);"), ("002_b.sql", "CREATE TABLE b (id int);"));
        var runner = Runner(db, folder);

        var result = await runner.RunFileAsync("002_b.sql", "test");
        var again = await runner.RunFileAsync("002_b.sql", "test");

        Assert.Equal(["002_b.sql"], result.Applied);
        Assert.Empty(again.Applied);
        Assert.False(await TableExistsAsync(db, "a"));
        var error = await Assert.ThrowsAsync<MigrationException>(() => runner.RunFileAsync("999_nope.sql", "test"));
        Assert.Contains("999_nope.sql", error.Message);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public async Task RollbackIsRefusedOutsideDevelopment(string environment)
    {
        var db = await EmptyDatabaseAsync();
        var folder = Folder(("001_a.sql", "CREATE TABLE a (id int);"));
        await Runner(db, folder).RunPendingAsync("test");

        var error = await Assert.ThrowsAsync<MigrationException>(() => Runner(db, folder, environment).RollbackAsync());

        Assert.Contains("only in Development", error.Message);
        Assert.True(await TableExistsAsync(db, "a"));
    }

    [Fact]
    public async Task RollbackInDevelopmentDropsEverythingSoTheNextRunStartsAfresh()
    {
        var db = await EmptyDatabaseAsync();
        var folder = Folder(("001_a.sql", "CREATE TABLE a (id int); CREATE VIEW v AS SELECT id FROM a;"));
        var runner = Runner(db, folder);
        await runner.RunPendingAsync("test");

        await runner.RollbackAsync();

        Assert.False(await TableExistsAsync(db, "a"));
        Assert.All(await runner.GetStatusAsync(), s => Assert.Equal(MigrationState.Pending, s.State));
        Assert.True((await runner.RunPendingAsync("test")).Succeeded);
    }

    [Fact]
    public async Task MissingFolderIsAClearError()
    {
        var db = await EmptyDatabaseAsync();

        var error = await Assert.ThrowsAsync<MigrationException>(() => Runner(db, "/no/such/folder").GetStatusAsync());

        Assert.Contains("MIGRATIONS_DIR", error.Message);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var dataSource in _dataSources)
            await dataSource.DisposeAsync();
        foreach (var folder in _folders)
            Directory.Delete(folder, recursive: true);
    }

}
