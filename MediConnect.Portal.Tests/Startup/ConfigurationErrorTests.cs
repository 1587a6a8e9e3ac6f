using MediConnect.Portal.Tests.Fixtures;

namespace MediConnect.Portal.Tests.Startup;

/// <summary>A bad setting stops start-up with one clear line naming it, never a stack trace.</summary>
public sealed class ConfigurationErrorTests
{
    static async Task<(int ExitCode, string Output)> StartAsync(Dictionary<string, string> environment)
    {
        await using var portal = PortalProcess.Start(environment);
        var exitCode = await portal.WaitForExitAsync();
        return (exitCode, portal.Output.Trim());
    }

    [Theory]
    [InlineData("POSTGRES_POOL_MAX", "abc", "POSTGRES_POOL_MAX must be a whole number, but is 'abc'.")]
    [InlineData("POSTGRES_POOL_MIN", "50", "POSTGRES_POOL_MIN (50) must not be greater than POSTGRES_POOL_MAX (20).")]
    [InlineData("DATABASE_URL", "postgresql://portal:hunter2@", "DATABASE_URL must look like postgresql://user:password@host:5432/database")]
    [InlineData("REQUIRE_2FA_FOR", "admin,nurse", "REQUIRE_2FA_FOR must list roles (admin, doctor, patient) separated by commas, or be 'none', but 'nurse' is not a role.")]
    [InlineData("DATA_PROTECTION_CERT_FILE", "/etc/mediconnect/missing.pfx", "DATA_PROTECTION_CERT_FILE names a file that does not exist: '/etc/mediconnect/missing.pfx'.")]
    public async Task BadSettingStopsStartUpWithOneLine(string key, string value, string expected)
    {
        var (exitCode, output) = await StartAsync(new() { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["POSTGRES_HOST"] = "127.0.0.1", [key] = value });

        Assert.Equal(1, exitCode);
        Assert.Single(output.Split('\n'));
        Assert.Contains(expected, output);
        Assert.DoesNotContain("hunter2", output);
        Assert.DoesNotContain(" at ", output);
    }

    [Fact]
    public async Task AStandbyTargetWithASingleHostStopsStartUpWithOneLine()
    {
        var (exitCode, output) = await StartAsync(new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Postgres"] = "Host=127.0.0.1;Port=5432;Database=mediconnect;Username=portal;Password=hunter2;Target Session Attributes=standby",
        });

        Assert.Equal(1, exitCode);
        Assert.Equal("MediConnect Portal cannot start: ConnectionStrings:Postgres sets Target Session Attributes=standby with a single host, "
            + "which Npgsql accepts only with several (Host=primary.example,standby.example): list every server in Host, or remove Target Session Attributes.", output);
    }

    [Fact]
    public async Task AnUnmigratedDatabaseStopsStartUpSayingHowToMigrateIt()
    {
        var server = await PostgresServer.GetAsync();
        var empty = new Npgsql.NpgsqlConnectionStringBuilder(await server.CreateEmptyDatabaseAsync());

        var (exitCode, output) = await StartAsync(new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["POSTGRES_HOST"] = empty.Host!,
            ["POSTGRES_PORT"] = empty.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["POSTGRES_DB"] = empty.Database!,
            ["POSTGRES_USER"] = empty.Username!,
            ["POSTGRES_PASSWORD"] = empty.Password ?? "",
        });

        Assert.Equal(1, exitCode);
        Assert.EndsWith($"MediConnect Portal cannot start: The database {empty.Username}@{empty.Host}:{empty.Port}/{empty.Database} answers but is not "
            + "migrated (it has no table data_protection_keys): apply the migrations first with `dotnet MediConnect.Portal.dll migrate run` (or "
            + "`dotnet run --project MediConnect.Portal -- migrate run` from the repository), or set MIGRATE_ON_STARTUP=true to migrate at start-up.", output);
        Assert.False(output.Contains("   at ", StringComparison.Ordinal), $"no stack trace:\n{output}");
        Assert.DoesNotContain("key ring", output);
    }

    [Fact]
    public async Task ProductionWithoutADatabaseSaysWhatToSet()
    {
        var (exitCode, output) = await StartAsync(new() { ["ASPNETCORE_ENVIRONMENT"] = "Production" });

        Assert.Equal(1, exitCode);
        Assert.Equal("MediConnect Portal cannot start: No database is configured: set DATABASE_URL, or POSTGRES_HOST (with POSTGRES_PORT, "
            + "POSTGRES_DB, POSTGRES_USER, POSTGRES_PASSWORD), or ConnectionStrings:Postgres.", output);
    }
}
