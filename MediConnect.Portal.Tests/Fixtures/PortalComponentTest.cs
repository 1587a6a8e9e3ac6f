using Bunit;
using MediConnect.Portal.Features.Admin;
using MediConnect.Portal.Features.Doctor;
using MediConnect.Portal.Features.Patient;
using MediConnect.Portal.Features.Shared;
using MediConnect.Portal.Security;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>
/// The one bUnit base of the suite: MudBlazor's services and loose JS interop (Mud's components
/// call into JS we do not run here). Components that read data derive from
/// <see cref="DatabaseComponentTest"/>.
/// </summary>
public abstract class PortalComponentTest : BunitContext
{
    protected PortalComponentTest()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    /// <summary>Registers the shared and feature services as the portal does, over <paramref name="database"/>.</summary>
    protected void AddPortalServices(TestDatabase database)
    {
        Services.AddSingleton(database.DataSource);
        Services.AddSingleton(database.Reads);
        Services.AddScoped<AuditLog>();
        Services.AddSingleton<CareTeam>();
        Services.AddSharedFeatures().AddAdminFeatures().AddDoctorFeatures().AddPatientFeatures();
    }
}

/// <summary>
/// bUnit over the portal's real services and the test class's own database, rendered as in the
/// live circuit, on <paramref name="time"/> (the system clock unless given). Nobody is signed in until
/// a test calls <see cref="SignInAsync"/>, before the first render.
/// </summary>
public abstract class DatabaseComponentTest : PortalComponentTest
{
    protected DatabaseComponentTest(TestDatabase database, TimeProvider? time = null)
    {
        Database = database;
        Time = time ?? TimeProvider.System;
        AddPortalServices(database);
        Services.AddSingleton(Time);
        Services.AddSingleton<ICurrentUser>(User);
        // After the registrations: setting the renderer info builds the renderer.
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    protected TestDatabase Database { get; }

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
}
