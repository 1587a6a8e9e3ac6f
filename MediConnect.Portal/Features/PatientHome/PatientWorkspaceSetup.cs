using MediConnect.Portal.Features.Messages;
using MediConnect.Portal.Features.Notifications;
using MediConnect.Portal.Features.PatientAppointments;
using MediConnect.Portal.Features.PatientPrescriptions;
using MediConnect.Portal.Features.PatientProfile;
using MediConnect.Portal.Features.PatientRecords;
using MediConnect.Portal.Features.Vitals;

namespace MediConnect.Portal.Features.PatientHome;

public static class PatientWorkspaceSetup
{
    /// <summary>The patient workspace, messages and notifications: one scoped service per capability.</summary>
    public static WebApplicationBuilder AddPatientWorkspace(this WebApplicationBuilder builder)
    {
        builder.Services.AddPatientWorkspaceServices();
        return builder;
    }

    public static IServiceCollection AddPatientWorkspaceServices(this IServiceCollection services)
    {
        services.AddScoped<UnreadCounts>();
        services.AddScoped<VitalSignsRecorder>();
        services.AddScoped<PatientAppointmentService>();
        services.AddScoped<PatientPrescriptionService>();
        services.AddScoped<PatientRecordService>();
        services.AddScoped<PatientProfileService>();
        services.AddScoped<MessageService>();
        services.AddScoped<NotificationService>();
        return services;
    }
}
