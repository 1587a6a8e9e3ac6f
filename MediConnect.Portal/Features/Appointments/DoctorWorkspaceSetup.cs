using MediConnect.Portal.Features.Patients;
using MediConnect.Portal.Features.Prescriptions;
using MediConnect.Portal.Features.Records;

namespace MediConnect.Portal.Features.Appointments;

public static class DoctorWorkspaceSetup
{
    /// <summary>The doctor's workspace: appointments, patients and chart, prescriptions, notes (per-circuit scoped services).</summary>
    public static WebApplicationBuilder AddDoctorWorkspace(this WebApplicationBuilder builder)
    {
        builder.Services.AddDoctorWorkspaceServices();
        return builder;
    }

    public static IServiceCollection AddDoctorWorkspaceServices(this IServiceCollection services)
    {
        services.AddScoped<DoctorAppointments>();
        services.AddScoped<DoctorPatients>();
        services.AddScoped<PatientChart>();
        services.AddScoped<DoctorPrescriptions>();
        services.AddScoped<ConsultationNotes>();
        return services;
    }
}
