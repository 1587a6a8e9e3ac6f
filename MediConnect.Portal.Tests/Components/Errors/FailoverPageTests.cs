using MediConnect.Portal.Data;
using System.Net;
using MediConnect.Portal.Tests.Features.Account;
using MediConnect.Portal.Tests.Fixtures;
using Npgsql;
using Serilog.Events;

namespace MediConnect.Portal.Tests.Components.Errors;

/// <summary>
/// The portal on a multi-host style connection (<c>Target Session Attributes=read-write</c>) when its
/// primary is demoted under it: its sessions are ended by the server (57P01) and the host comes back
/// read-only, so Npgsql finds "No suitable host". Every request gets the calm outage page, in
/// production's pipeline (its error handler included), and nothing is logged at Error.
/// </summary>
public sealed class FailoverPageTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task WhileThePrimaryIsDemotedEveryPageIsTheCalmOutagePageAndNothingIsLoggedAtError()
    {
        var log = new PortalLog();
        var name = new NpgsqlConnectionStringBuilder(database.ConnectionString).Database!;
        await using var portal = new PortalFactory(OutageShapeTests.TwoHosts(database.ConnectionString, "Target Session Attributes=read-write;Application Name=failover-portal"),
            new Dictionary<string, string?> { ["ENVIRONMENT"] = "Production", ["POSTGRES_POOL_MIN"] = "0" }, log.AddTo);
        using var patient = AccountHttp.Client(portal);
        await AccountHttp.SignInAsync(patient, SignIn.PatientEmail, SignIn.PatientPassword);
        using (var before = await patient.GetAsync("/patient"))
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        try
        {
            await database.DataSource.ExecuteAsync($"ALTER DATABASE \"{name}\" SET default_transaction_read_only = on");
            await database.DataSource.ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'failover-portal'");

            foreach (var path in (string[])["/patient", "/patient/vitals", "/messages", "/patient", "/notifications"])
            {
                using var page = await patient.GetAsync(path);
                var html = await page.Content.ReadAsStringAsync();
                Assert.True(page.StatusCode == HttpStatusCode.ServiceUnavailable, $"{path}: {(int)page.StatusCode} {html[..Math.Min(300, html.Length)]}");
                Assert.Contains("The portal cannot reach its database. It keeps retrying.", html);
            }
            using (var health = await patient.GetAsync("/health"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
                Assert.Equal("""{"status":"unhealthy"}""", await health.Content.ReadAsStringAsync());
            }
            // A load balancer's check (no cookie) reaches the health endpoint itself, which answers 503 too.
            using (var balancer = AccountHttp.Client(portal))
            using (var health = await balancer.GetAsync("/health"))
                Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Empty(log.Errors);
            // The request log too: the outage's 503s are Warning lines (the outage itself is summarised once per burst), not one Error each.
            Assert.Equal([(LogEventLevel.Warning, "503")], log.Requests("/notifications"));
            Assert.Equal([(LogEventLevel.Warning, "503"), (LogEventLevel.Warning, "503")], log.Requests("/health"));
        }
        finally
        {
            await database.DataSource.ExecuteAsync($"ALTER DATABASE \"{name}\" RESET default_transaction_read_only");
        }
    }
}
