using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
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

    /// <summary>Lag-tolerant reads on this database alone (no standby).</summary>
    public LagTolerantReads Reads => LagTolerantReads.PrimaryOnly(DataSource);

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

    /// <summary>A demo user, signed in as far as services can tell.</summary>
    public async Task<TestCurrentUser> SignedInAsync(string email)
    {
        var (id, name, role) = await DataSource.QueryOneAsync<(int, string, string)>("SELECT id, name, role FROM users WHERE email = @email", new { email });
        if (id == 0)
            throw new InvalidOperationException($"No demo user {email}");
        return new TestCurrentUser(new PortalUser(id, email, name, role, IpAddress: "127.0.0.1", UserAgent: "tests"));
    }

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
