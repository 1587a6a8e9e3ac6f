using MediConnect.Portal.Data;
using Npgsql;

namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>
/// A database of the test class's own, copied from the migrated template (demo data included),
/// so test classes run in parallel without seeing each other's writes.
/// </summary>
public class TestDatabase : IAsyncLifetime
{
    public PostgresServer Server { get; private set; } = null!;
    public string ConnectionString { get; private set; } = "";
    public NpgsqlDataSource DataSource { get; private set; } = null!;

    /// <summary>False for a class that needs an empty database (the migration tests).</summary>
    protected virtual bool Migrated => true;

    public async ValueTask InitializeAsync()
    {
        DapperConventions.Apply();
        Server = await PostgresServer.GetAsync();
        ConnectionString = Migrated ? await Server.CreateMigratedDatabaseAsync() : await Server.CreateEmptyDatabaseAsync();
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    /// <summary>The id of a demo user, by email.</summary>
    public Task<int> UserIdAsync(string email) =>
        DataSource.QueryOneAsync<int>("SELECT id FROM users WHERE email = @email", new { email });

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>A database of the test class's own with no migrations applied.</summary>
public sealed class EmptyTestDatabase : TestDatabase
{
    protected override bool Migrated => false;
}
