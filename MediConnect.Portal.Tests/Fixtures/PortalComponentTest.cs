using Bunit;
using MediConnect.Portal.Features.Appointments;
using MediConnect.Portal.Features.PatientHome;
using MediConnect.Portal.Features.Vitals;
using MediConnect.Portal.Security;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>
/// The one bUnit base of the suite: MudBlazor's services and loose JS interop (Mud's components
/// call into JS we do not run here), and, for components that read data, the portal's real
/// services over a test class's own database.
/// </summary>
public abstract class PortalComponentTest : BunitContext
{
    protected PortalComponentTest()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    /// <summary>
    /// Registers the shared and feature services as the portal does, over <paramref name="database"/>.
    /// The signed-in user and the clock are the test's to register.
    /// </summary>
    protected void AddPortalServices(TestDatabase database)
    {
        Services.AddSingleton(database.DataSource);
        Services.AddScoped<AuditLog>();
        Services.AddSingleton<CareTeam>();
        Services.AddScoped<VitalsReader>();
        Services.AddDoctorWorkspaceServices();
        Services.AddPatientWorkspaceServices();
    }
}
