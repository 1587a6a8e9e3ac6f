using Bunit;
using MediConnect.Portal.Features.Appointments;
using MediConnect.Portal.Features.Patients;
using MediConnect.Portal.Features.Prescriptions;
using MediConnect.Portal.Features.Records;
using MediConnect.Portal.Features.Vitals;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace MediConnect.Portal.Tests.Features.Appointments;

/// <summary>bUnit with MudBlazor and the real doctor services over the class's test database.</summary>
public abstract class DoctorComponentTest : BunitContext
{
    protected DoctorComponentTest(TestDatabase database)
    {
        Database = database;
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddSingleton(database.DataSource);
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<ICurrentUser>(User);
        Services.AddScoped<AuditLog>();
        Services.AddSingleton<CareTeam>();
        Services.AddScoped<DoctorAppointments>();
        Services.AddScoped<DoctorPatients>();
        Services.AddScoped<PatientChart>();
        Services.AddScoped<DoctorPrescriptions>();
        Services.AddScoped<ConsultationNotes>();
        Services.AddScoped<VitalsReader>();
        // Render as in the live circuit, not as while prerendering (after the registrations: it builds the renderer).
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    protected TestDatabase Database { get; }

    /// <summary>Who the components see as signed in (nobody until a test calls SignInAsync).</summary>
    protected TestCurrentUser User { get; } = new(null);

    protected async Task SignInAsync(string email) => User.User = (await Database.SignedInAsync(email)).User;
}
