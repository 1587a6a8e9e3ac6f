using MediConnect.Portal.Data;
using MediConnect.Portal.Tests.Fixtures;
using Npgsql;

namespace MediConnect.Portal.Tests.Startup;

/// <summary>
/// <c>dotnet run</c> with no database configured, in Development: the portal starts its own
/// cluster, migrates it, keeps the data across restarts and stops the cluster when it stops.
/// </summary>
public sealed class ZeroSetupTests : IDisposable
{
    readonly string _folder = Path.Combine(Path.GetTempPath(), $"mediconnect-zero-setup-{Guid.NewGuid():N}");

    Dictionary<string, string> Environment => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
        ["LOCAL_POSTGRES_DIR"] = _folder,
    };

    string PidFile => Path.Combine(_folder, "data", "postmaster.pid");

    string ConnectionString()
    {
        var port = int.Parse(File.ReadAllLines(PidFile)[3], System.Globalization.CultureInfo.InvariantCulture);
        return new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = port, Database = ZeroSetupDatabase.DatabaseName, Username = "postgres",
            Password = File.ReadAllText(Path.Combine(_folder, "superuser-password")).Trim(), Pooling = false,
        }.ConnectionString;
    }

    [Fact]
    public async Task StartsItsOwnMigratedClusterKeepsDataAcrossRestartsAndStopsIt()
    {
        const string journal = "SELECT string_agg(file_name || '@' || applied_at, ',' ORDER BY id) FROM schema_migrations";
        string? appliedAtFirstStart;
        await using (var first = PortalProcess.Start(Environment))
        {
            await first.WaitUntilHealthyAsync(TimeSpan.FromSeconds(90));
            Assert.Contains($"data in {_folder}", first.Output);
            await AssertTheBannerComesLastAsync(first);
            await using (var dataSource = NpgsqlDataSource.Create(ConnectionString()))
            {
                Assert.True(await dataSource.QueryOneAsync<long>("SELECT count(*) FROM users") > 0);
                appliedAtFirstStart = await dataSource.QueryOneAsync<string>(journal);
                await dataSource.ExecuteAsync("UPDATE users SET phone = '555-KEEP' WHERE email = 'admin@mediconnect.demo'");
            }

            Assert.Equal(0, await first.StopAsync());
            Assert.False(File.Exists(PidFile), "the cluster should stop with the portal");
        }

        await using var second = PortalProcess.Start(Environment);
        await second.WaitUntilHealthyAsync(TimeSpan.FromSeconds(90));
        await using (var dataSource = NpgsqlDataSource.Create(ConnectionString()))
        {
            Assert.Equal("555-KEEP", await dataSource.QueryOneAsync<string>("SELECT phone FROM users WHERE email = 'admin@mediconnect.demo'"));
            Assert.Equal(appliedAtFirstStart, await dataSource.QueryOneAsync<string>(journal));
        }
        Assert.Equal(0, await second.StopAsync());
        Assert.False(File.Exists(PidFile));
    }

    /// <summary>
    /// The first run prints a line per migration: the address, the demo sign-in, the data folder
    /// and the absolute log folder come after all of them and after the host's own lines.
    /// </summary>
    async Task AssertTheBannerComesLastAsync(PortalProcess portal)
    {
        await Wait.UntilAsync(() => portal.Output.Contains("MediConnect Portal is running", StringComparison.Ordinal), "the banner", TimeSpan.FromSeconds(60));
        var output = portal.Output;
        var banner = output.IndexOf($"MediConnect Portal is running: {portal.Address.ToString().TrimEnd('/')}", StringComparison.Ordinal);
        Assert.True(banner > 0, $"the address in the banner:\n{output}");
        Assert.True(banner > output.LastIndexOf("Applied migration", StringComparison.Ordinal), $"after the migrations:\n{output}");
        Assert.True(banner > output.LastIndexOf("Application started", StringComparison.Ordinal), $"after the host's lines:\n{output}");
        var tail = output[banner..];
        Assert.Contains("Demo sign-in:  admin@mediconnect.demo / Demo2024!Admin", tail);
        Assert.Contains($"Demo data:     {_folder}", tail);
        Assert.Contains($"Log files:     {Path.Combine(Path.GetTempPath(), "mediconnect-test-logs")}", tail);
    }

    [Fact]
    public async Task TwoRunsOfOneCloneShareTheClusterAndStoppingTheSecondLeavesTheFirstHealthy()
    {
        await using var first = PortalProcess.Start(Environment);
        await first.WaitUntilHealthyAsync(TimeSpan.FromSeconds(90));
        var clusterPid = File.ReadAllLines(PidFile)[0];

        await using (var second = PortalProcess.Start(Environment))
        {
            await second.WaitUntilHealthyAsync(TimeSpan.FromSeconds(90));
            Assert.Contains("Sharing the zero-setup PostgreSQL with the portal(s) already running from this folder", second.Output);
            Assert.Equal(0, await second.StopAsync());
        }

        Assert.Equal(clusterPid, File.ReadAllLines(PidFile)[0]); // the same server, still running
        using (var client = new HttpClient { BaseAddress = first.Address })
        using (var health = await client.GetAsync("/health"))
            Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        await using (var dataSource = NpgsqlDataSource.Create(ConnectionString()))
            Assert.True(await dataSource.QueryOneAsync<long>("SELECT count(*) FROM users") > 0);

        Assert.Equal(0, await first.StopAsync());
        Assert.False(File.Exists(PidFile), "the last portal out stops the cluster");
    }

    [Fact]
    public async Task AKilledRunLeavesNoLeaseThatKeepsTheClusterRunning()
    {
        await using (var killed = PortalProcess.Start(Environment))
        {
            await killed.WaitUntilHealthyAsync(TimeSpan.FromSeconds(90));
        } // disposed: killed outright, its lease names a dead process

        await using var next = PortalProcess.Start(Environment);
        await next.WaitUntilHealthyAsync(TimeSpan.FromSeconds(90));
        Assert.DoesNotContain("Sharing the zero-setup PostgreSQL", next.Output);
        Assert.Equal(0, await next.StopAsync());
        Assert.False(File.Exists(PidFile), "the only live user stops the cluster it adopted");
    }

    public void Dispose()
    {
        if (File.Exists(PidFile))
            System.Diagnostics.Process.Start("runuser", ["-u", "postgres", "--", Path.Combine(LocalPostgresCluster.FindBinDirectory(), "pg_ctl"), "-D", Path.Combine(_folder, "data"), "-m", "immediate", "stop"])!.WaitForExit();
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }
}
