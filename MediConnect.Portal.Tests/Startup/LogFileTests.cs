using MediConnect.Portal.Tests.Fixtures;
using Npgsql;

namespace MediConnect.Portal.Tests.Startup;

/// <summary>
/// The log file is written through a buffer (appsettings.json: a write to disk per request, under
/// the sink's lock, was a sixth of the doctor's page's server time) and flushed every second, so
/// an operator following the file still sees each request while the portal runs.
/// </summary>
public sealed class LogFileTests
{
    [Fact]
    public async Task ARequestReachesTheLogFileWhileThePortalKeepsRunning()
    {
        var folder = Directory.CreateTempSubdirectory("portal-logs-").FullName;
        var database = new NpgsqlConnectionStringBuilder(await (await PostgresServer.GetAsync()).CreateMigratedDatabaseAsync());
        await using var portal = PortalProcess.Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Postgres"] = database.ConnectionString,
            ["Serilog__WriteTo__1__Args__path"] = Path.Combine(folder, "portal-.log"),
        });
        await portal.WaitUntilHealthyAsync(TimeSpan.FromSeconds(90));

        await Wait.UntilAsync(() => Directory.EnumerateFiles(folder).Any(f => Read(f).Contains("HTTP GET /health responded 200")),
            "the request's line in the log file", TimeSpan.FromSeconds(10));
    }

    // The portal holds the file open for writing.
    static string Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }
}
