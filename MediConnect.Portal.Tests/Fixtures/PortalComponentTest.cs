using Bunit;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Account.ConnectedApps;
using MediConnect.Portal.Features.Admin;
using MediConnect.Portal.Features.Doctor;
using MediConnect.Portal.Features.Doctor.Patients;
using MediConnect.Portal.Features.Patient;
using MediConnect.Portal.Features.Shared;
using MediConnect.Portal.Features.Shared.Documents;
using MediConnect.Portal.Features.Shared.Notifications.Delivery;
using MediConnect.Portal.Features.Shared.Print;
using MediConnect.Portal.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Npgsql;

namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>
/// The one bUnit base of the suite: MudBlazor's services and loose JS interop (Mud's components
/// call into JS we do not run here). Components that read data derive from
/// <see cref="DatabaseComponentTest"/>. A wait without its own timeout waits up to 30 s for its
/// state (bUnit's 1 s default ran out on a loaded machine before a page's first query answered).
/// </summary>
public abstract class PortalComponentTest : BunitContext
{
    protected PortalComponentTest()
    {
        DefaultWaitTimeout = TimeSpan.FromSeconds(30);
        Services.AddMudServices();
        Services.AddLocalization();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    /// <summary>
    /// Registers the shared and feature services as the portal does, over <paramref name="database"/>
    /// (through <paramref name="dataSource"/> when given, e.g. <see cref="HeldConnections"/>).
    /// </summary>
    protected void AddPortalServices(TestDatabase database, NpgsqlDataSource? dataSource = null)
    {
        var primary = dataSource ?? database.DataSource;
        Services.AddSingleton(primary);
        Services.AddSingleton(LagTolerantReads.PrimaryOnly(primary));
        Services.AddSingleton(DatabaseSettings.From(new ConfigurationBuilder().AddInMemoryCollection(
            new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = database.ConnectionString }).Build()));
        Services.AddSingleton<PoolStatistics>();
        Services.AddSingleton<OutageLog>();
        Services.AddSingleton<DatabaseProbe>();
        Services.AddScoped<AuditLog>();
        Services.AddSingleton<CareTeam>();
        Services.AddSingleton(new PasswordHasher(12));
        Services.AddScoped<ChartAccessGuard>();
        Services.AddSingleton(new BreakGlassSettings());
        Services.AddSingleton(new DocumentSettings());
        Services.AddSingleton(new ClinicSettings("Riverside Family Clinic", "12 Mill Lane, Springfield", "+1 555 0142"));
        Services.AddSharedFeatures().AddAdminFeatures().AddDoctorFeatures().AddPatientFeatures();
        Services.AddSmsSender(new ConfigurationBuilder().Build());
        Services.AddScoped<AccessTokenService>();
    }
}

/// <summary>
/// bUnit over the portal's real services and the test class's own database, rendered as in the
/// live circuit, on <paramref name="time"/> (the system clock unless given). Nobody is signed in until
/// a test calls <see cref="SignInAsync"/>, before the first render. With <paramref name="holdConnections"/>
/// the components reach the database through <see cref="Connections"/>, whose opens a test can hold.
/// </summary>
public abstract class DatabaseComponentTest : PortalComponentTest
{
    /// <param name="dataSource">The components' connections when not the test database's own (e.g. through a <see cref="DatabaseLink"/>).</param>
    /// <param name="services">Registrations over the portal's (e.g. configured SMS settings).</param>
    protected DatabaseComponentTest(TestDatabase database, TimeProvider? time = null, bool holdConnections = false, NpgsqlDataSource? dataSource = null,
        Action<IServiceCollection>? services = null)
    {
        Database = database;
        Time = time ?? TimeProvider.System;
        _connections = holdConnections ? new HeldConnections(database.ConnectionString) : null;
        AddPortalServices(database, _connections?.DataSource ?? dataSource);
        Services.AddSingleton(Time);
        Services.AddSingleton<ICurrentUser>(User);
        services?.Invoke(Services);
        // After the registrations: setting the renderer info builds the renderer.
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    readonly HeldConnections? _connections;

    protected TestDatabase Database { get; }

    /// <summary>The components' connections, for tests that hold a load on purpose (constructed with <c>holdConnections</c>).</summary>
    protected HeldConnections Connections => _connections ?? throw new InvalidOperationException("Construct the test with holdConnections: true.");

    /// <summary>The clock the components read.</summary>
    protected TimeProvider Time { get; }

    /// <summary>Who the components see as signed in.</summary>
    protected TestCurrentUser User { get; } = new(null);

    /// <summary>Signs a demo user in.</summary>
    protected async Task<TestCurrentUser> SignInAsync(string email)
    {
        User.User = (await Database.SignedInAsync(email)).User;
        return User;
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        if (_connections is not null)
            await _connections.DisposeAsync();
    }
}
