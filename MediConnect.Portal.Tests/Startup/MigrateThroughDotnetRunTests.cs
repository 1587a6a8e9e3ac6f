using System.Diagnostics;
using System.Text;
using MediConnect.Portal.Data;
using MediConnect.Portal.Tests.Fixtures;
using Npgsql;

namespace MediConnect.Portal.Tests.Startup;

/// <summary>
/// <c>dotnet run --project MediConnect.Portal -- migrate run</c> as an operator types it against
/// their own database. <c>dotnet run</c>'s launch profile forces Development over the shell's
/// <c>ASPNETCORE_ENVIRONMENT=Production</c>: demo accounts with published passwords must still not
/// land unless <c>SEED_DEMO_DATA=true</c> asks for them. (One class: its runs share one build.)
/// </summary>
public sealed class MigrateThroughDotnetRunTests : IAsyncDisposable
{
    readonly List<NpgsqlDataSource> _dataSources = [];

    [Fact]
    public async Task MigrateRunInProductionAppliesTheSchemaWithoutDemoAccountsAndSaysHowToAddThem()
    {
        var (db, url) = await EmptyDatabaseAsync();

        var (exitCode, output) = await DotnetRunMigrateAsync(new() { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["DATABASE_URL"] = url });

        Assert.True(exitCode == 0, output);
        Assert.Equal(0, await DemoAccountsAsync(db));
        Assert.True(await db.QueryOneAsync<bool>("SELECT to_regclass('users') IS NOT NULL"), output);
        Assert.Contains("Demo data NOT applied: 002_seed_demo_data.sql", output);
        Assert.Contains("SEED_DEMO_DATA=true", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public async Task MigrateRunWithSeedDemoDataTrueAppliesTheDemoAccounts()
    {
        var (db, url) = await EmptyDatabaseAsync();

        var (exitCode, output) = await DotnetRunMigrateAsync(new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production", ["DATABASE_URL"] = url, ["SEED_DEMO_DATA"] = "true",
        });

        Assert.True(exitCode == 0, output);
        Assert.True(await DemoAccountsAsync(db) > 10, output);
        Assert.DoesNotContain("Demo data NOT applied", output);
    }

    async Task<(NpgsqlDataSource Db, string Url)> EmptyDatabaseAsync()
    {
        var server = await PostgresServer.GetAsync();
        var connectionString = await server.CreateEmptyDatabaseAsync();
        var db = NpgsqlDataSource.Create(connectionString);
        _dataSources.Add(db);
        var c = new NpgsqlConnectionStringBuilder(connectionString);
        var url = $"postgresql://{Uri.EscapeDataString(c.Username!)}:{Uri.EscapeDataString(c.Password ?? "")}@{c.Host}:{c.Port}/{Uri.EscapeDataString(c.Database!)}";
        return (db, url);
    }

    static Task<long> DemoAccountsAsync(NpgsqlDataSource db) =>
        db.QueryOneAsync<long>("SELECT count(*) FROM users WHERE email LIKE '%@mediconnect.demo'");

    /// <summary>
    /// Runs the command from the repository root with the test process's database and build
    /// settings removed, so only <paramref name="environment"/> configures it.
    /// </summary>
    static async Task<(int ExitCode, string Output)> DotnetRunMigrateAsync(Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "run", "--project", "MediConnect.Portal", "--", "migrate", "run" })
            start.ArgumentList.Add(argument);
        foreach (var name in start.Environment.Keys.ToList())
        {
            if (name is "DATABASE_URL" or "POSTGRES_HOST" or "ConnectionStrings__Postgres" or "ASPNETCORE_ENVIRONMENT" or "DOTNET_ENVIRONMENT" or "SEED_DEMO_DATA"
                || name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase))
                start.Environment.Remove(name);
        }
        foreach (var (name, value) in environment)
            start.Environment[name] = value;

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10)); // dotnet run builds first: minutes on a loaded machine
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet run did not finish. Its output:\n{output}");
        }
        process.WaitForExit(); // flushes the redirected output
        lock (output)
            return (process.ExitCode, output.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var db in _dataSources)
            await db.DisposeAsync();
    }
}
