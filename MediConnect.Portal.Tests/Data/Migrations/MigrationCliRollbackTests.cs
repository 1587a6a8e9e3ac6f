using MediConnect.Portal.Data;
using MediConnect.Portal.Data.Migrations;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MediConnect.Portal.Tests.Data.Migrations;

/// <summary>
/// <c>migrate rollback</c> from the command line. <c>dotnet run</c> runs as Development whatever
/// database it points at, so Development alone must not be enough to drop a database: the
/// operator types its name, as on the admin page.
/// </summary>
public sealed class MigrationCliRollbackTests : IAsyncDisposable
{
    readonly List<NpgsqlDataSource> _dataSources = [];

    async Task<(NpgsqlDataSource Db, MigrationRunner Runner, DatabaseSettings Settings)> MigratedDatabaseAsync()
    {
        var server = await PostgresServer.GetAsync();
        var db = NpgsqlDataSource.Create(await server.CreateMigratedDatabaseAsync());
        _dataSources.Add(db);
        var runner = new MigrationRunner(db, new MigrationOptions(PostgresServer.MigrationsFolder), new TestHostEnvironment("Development"), NullLogger<MigrationRunner>.Instance);
        return (db, runner, new DatabaseSettings(db.ConnectionString, false, TimeSpan.FromSeconds(1)));
    }

    static Task<bool> UsersTableExistsAsync(NpgsqlDataSource db) => db.QueryOneAsync<bool>("SELECT to_regclass('users') IS NOT NULL");

    [Theory]
    [InlineData("")]
    [InlineData("mediconnect_production")]
    public async Task RollbackWithoutTheDatabaseNameTypedDropsNothing(string typed)
    {
        var (db, runner, settings) = await MigratedDatabaseAsync();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await MigrationCli.RunAsync(["migrate", "rollback"], runner, settings, output, error, new StringReader(typed + "\n"));

        Assert.Equal(1, exitCode);
        Assert.Contains($"Type the database name ({runner.DatabaseName}) to confirm", output.ToString());
        Assert.Equal("Refused: the database name was not typed; nothing was dropped.", error.ToString().Trim());
        Assert.True(await UsersTableExistsAsync(db));
    }

    [Fact]
    public async Task RollbackWithTheDatabaseNameTypedDropsEverything()
    {
        var (db, runner, settings) = await MigratedDatabaseAsync();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await MigrationCli.RunAsync(["migrate", "rollback"], runner, settings, output, error, new StringReader(runner.DatabaseName + "\n"));

        Assert.Equal((0, ""), (exitCode, error.ToString()));
        Assert.Contains("Rolled back", output.ToString());
        Assert.False(await UsersTableExistsAsync(db));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var db in _dataSources)
            await db.DisposeAsync();
    }
}
