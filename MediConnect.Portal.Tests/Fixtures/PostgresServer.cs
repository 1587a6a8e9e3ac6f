using DotNet.Testcontainers.Builders;
using MediConnect.Portal.Data;
using MediConnect.Portal.Data.Migrations;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Testcontainers.PostgreSql;

namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>
/// The one PostgreSQL server of a test run, found in this order: the connection string in
/// <c>MEDICONNECT_TEST_POSTGRES</c>; a <c>postgres:15</c> container (Testcontainers, where a
/// Docker engine runs); a throwaway local cluster started by the same code as the portal's
/// zero-setup run. Holds a template database with every real migration applied, from which
/// each test class gets a database of its own.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string TemplateDatabase = "mediconnect_template";
    static readonly SemaphoreSlim Gate = new(1, 1);
    static PostgresServer? _instance;
    static int _databaseCounter;

    readonly string _adminConnectionString;
    readonly Func<ValueTask> _shutdown;

    PostgresServer(string adminConnectionString, string source, Func<ValueTask> shutdown)
    {
        _adminConnectionString = adminConnectionString;
        Source = source;
        _shutdown = shutdown;
    }

    /// <summary>Which of the three ways provided the server, for failure messages.</summary>
    public string Source { get; }

    /// <summary>The real migrations, as shipped next to the portal's binaries.</summary>
    public static string MigrationsFolder => Path.Combine(AppContext.BaseDirectory, "Database", "migrations");

    public static async Task<PostgresServer> GetAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _instance ??= await StartAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    static async Task<PostgresServer> StartAsync()
    {
        DapperConventions.Apply();
        var reasons = new List<string>();
        var server = FromEnvironment() ?? await FromContainerAsync(reasons) ?? FromLocalCluster(reasons)
            ?? throw new InvalidOperationException(
                "No PostgreSQL for the tests: set MEDICONNECT_TEST_POSTGRES to a connection string, run a Docker engine, "
                + "or install the PostgreSQL server binaries (apt-get install postgresql-15). " + string.Join(" ", reasons));
        await server.CreateTemplateAsync();
        return server;
    }

    /// <summary>
    /// Stops the server of this run, if one was started, when the test pipeline shuts down
    /// (<see cref="TestPipeline"/>): before the runner returns, so a slow stop under load is not
    /// taken for a hung process.
    /// </summary>
    public static async ValueTask StopAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_instance is not null)
                await _instance.DisposeAsync();
            _instance = null;
        }
        finally
        {
            Gate.Release();
        }
    }

    static PostgresServer? FromEnvironment()
    {
        var configured = Environment.GetEnvironmentVariable("MEDICONNECT_TEST_POSTGRES");
        return string.IsNullOrWhiteSpace(configured) ? null : new PostgresServer(configured, "MEDICONNECT_TEST_POSTGRES", () => ValueTask.CompletedTask);
    }

    static async Task<PostgresServer?> FromContainerAsync(List<string> reasons)
    {
        try
        {
            var container = new PostgreSqlBuilder("postgres:15").Build();
            await container.StartAsync();
            return new PostgresServer(container.GetConnectionString(), "Testcontainers postgres:15", container.DisposeAsync);
        }
        catch (Exception e) when (e is DockerUnavailableException or ArgumentException or InvalidOperationException)
        {
            reasons.Add($"Docker: {e.Message.Split('\n')[0]}");
            return null;
        }
    }

    static PostgresServer? FromLocalCluster(List<string> reasons)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"mediconnect-tests-{Environment.ProcessId}");
        try
        {
            var cluster = LocalPostgresCluster.StartOrReuse(folder, throwaway: true);
            return new PostgresServer(cluster.ConnectionString(), $"local cluster in {folder}", () =>
            {
                cluster.Stop();
                Directory.Delete(folder, recursive: true);
                return ValueTask.CompletedTask;
            });
        }
        catch (Exception e) when (e is PortalConfigurationException or InvalidOperationException or IOException)
        {
            reasons.Add($"Local cluster: {e.Message}");
            return null;
        }
    }

    /// <summary>A connection string for <paramref name="database"/> on this server.</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = database }.ConnectionString;

    /// <summary>A new, empty database (no migrations).</summary>
    public Task<string> CreateEmptyDatabaseAsync() => CreateDatabaseAsync("template0");

    /// <summary>A new database with every migration and the demo data, copied from the template.</summary>
    public Task<string> CreateMigratedDatabaseAsync() => CreateDatabaseAsync(TemplateDatabase);

    async Task<string> CreateDatabaseAsync(string template)
    {
        var name = $"test_{Environment.ProcessId}_{Interlocked.Increment(ref _databaseCounter)}";
        // Copies from one template are serialised: PostgreSQL refuses a copy while the template is in use.
        await Gate.WaitAsync();
        try
        {
            await ExecuteAsync(_adminConnectionString, $"CREATE DATABASE {name} TEMPLATE {template}");
        }
        finally
        {
            Gate.Release();
        }
        return ConnectionString(name);
    }

    async Task CreateTemplateAsync()
    {
        await ExecuteAsync(_adminConnectionString, $"DROP DATABASE IF EXISTS {TemplateDatabase} WITH (FORCE)");
        await ExecuteAsync(_adminConnectionString, $"CREATE DATABASE {TemplateDatabase}");
        var template = new NpgsqlConnectionStringBuilder(ConnectionString(TemplateDatabase)) { Pooling = false }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(template);
        var runner = new MigrationRunner(dataSource, new MigrationOptions(MigrationsFolder, SeedDemoData: true), // the tests sign in as the demo accounts
            new TestHostEnvironment(Environments.Development), NullLogger<MigrationRunner>.Instance);
        var result = await runner.RunPendingAsync("tests");
        if (!result.Succeeded)
            throw new InvalidOperationException($"The real migrations do not apply: {result.Refusal ?? result.Failure!.ToString()}");
    }

    static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public ValueTask DisposeAsync() => _shutdown();
}
