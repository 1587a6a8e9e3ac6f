using MediConnect.Portal.Data;
using MediConnect.Portal.Data.Migrations;
using MediConnect.Portal.Features.Patient.Appointments;
using MediConnect.Portal.Features.Shared.Live;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;
using Npgsql;

namespace MediConnect.Portal.Tests.Journeys;

/// <summary>
/// PostgreSQL restarts under two portal instances while a doctor's page is open: both listeners
/// reconnect by themselves, and a booking made afterwards still reaches the page. The server is a
/// cluster of this test's own, so restarting it disturbs no other test.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveRestartJourneyTests(BrowserFixture browser) : IAsyncLifetime
{
    readonly string _folder = Path.Combine(Path.GetTempPath(), $"mediconnect-live-restart-{Environment.ProcessId}-{Guid.NewGuid():N}");
    LocalPostgresCluster _cluster = null!;
    PortalFactory _a = null!;
    PortalFactory _b = null!;

    public async ValueTask InitializeAsync()
    {
        DapperConventions.Apply();
        _cluster = LocalPostgresCluster.StartOrReuse(_folder, throwaway: true);
        await using (var server = new NpgsqlConnection(_cluster.ConnectionString()))
        {
            await server.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE DATABASE mediconnect", server);
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = _cluster.ConnectionString("mediconnect");
        await using (var db = NpgsqlDataSource.Create(connectionString))
        {
            var runner = new MigrationRunner(db, new MigrationOptions(PostgresServer.MigrationsFolder, SeedDemoData: true),
                new TestHostEnvironment(Environments.Development), NullLogger<MigrationRunner>.Instance);
            Assert.True((await runner.RunPendingAsync("tests")).Succeeded);
        }
        (_a, _b) = (new PortalFactory(connectionString), new PortalFactory(connectionString));
    }

    LiveEventHub Hub(PortalFactory portal) => portal.Services.GetRequiredService<LiveEventHub>();

    [Fact]
    public async Task AfterPostgreSqlRestartsABookingStillReachesTheDoctorsOpenPage()
    {
        var (addressA, addressB) = (_a.StartOnKestrel(), _b.StartOnKestrel());
        var smith = await browser.NewPageAsync(addressB);
        await smith.SignInAsync(SignIn.DoctorEmail, SignIn.DoctorPassword);
        await smith.GotoAsync("/doctor");
        await smith.WaitForCircuitAsync();
        await smith.FillAsync("#patient-filter", "John Doe");
        await Assertions.Expect(smith.Locator("#appointment-table")).ToContainTextAsync("John Doe");
        foreach (var portal in new[] { _a, _b })
            await Wait.UntilAsync(() => Hub(portal).State == LiveListenerState.Listening, "both instances to listen");

        await Task.Run(_cluster.Restart);

        foreach (var portal in new[] { _a, _b })
            await Wait.UntilAsync(() => Hub(portal).Status is { State: LiveListenerState.Listening, Reconnects: >= 1 }, "both listeners to reconnect", TimeSpan.FromSeconds(60));
        const string reason = "Booked after the database restarted";
        var db = _a.Services.GetRequiredService<NpgsqlDataSource>();
        var (johnId, johnName) = await db.QueryOneAsync<(int, string)>("SELECT id, name FROM users WHERE email = @email", new { email = SignIn.PatientEmail });
        var smithId = await db.QueryOneAsync<int>("SELECT id FROM users WHERE email = @email", new { email = SignIn.DoctorEmail });
        var asJohn = new TestCurrentUser(new PortalUser(johnId, SignIn.PatientEmail, johnName, Roles.Patient));
        await new PatientAppointmentService(db, asJohn, new AuditLog(asJohn), TimeProvider.System)
            .BookAsync(new BookingRequest(smithId, PatientJourneyTests.BookingDay(), new TimeOnly(15, 30), "Consultation", reason));

        await Assertions.Expect(smith.Locator("#appointment-table tr", new() { HasText = reason })).ToBeVisibleAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        _cluster.Stop();
        Directory.Delete(_folder, recursive: true);
    }
}
