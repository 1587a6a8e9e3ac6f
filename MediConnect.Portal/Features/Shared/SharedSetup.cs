using MediConnect.Portal.Features.Shared.Immunizations;
using MediConnect.Portal.Features.Shared.Documents;
using MediConnect.Portal.Features.Shared.Labs;
using MediConnect.Portal.Features.Shared.Live;
using MediConnect.Portal.Features.Shared.Messages;
using MediConnect.Portal.Features.Shared.Notifications;
using MediConnect.Portal.Features.Shared.Notifications.Preferences;
using MediConnect.Portal.Features.Shared.Print;
using MediConnect.Portal.Features.Shared.Vitals;

namespace MediConnect.Portal.Features.Shared;

/// <summary>What more than one role uses: messages, notifications and their unread counts, notification preferences, the vitals reader, immunizations, documents, live updates.</summary>
public static class SharedSetup
{
    public static IServiceCollection AddSharedFeatures(this IServiceCollection services)
    {
        services.AddScoped<UnreadCounts>();
        services.AddScoped<MessageService>();
        services.AddScoped<NotificationService>();
        services.AddScoped<NotificationPreferences>();
        services.AddScoped<VitalsReader>();
        services.AddScoped<LabResults>();
        services.AddScoped<ProblemList.ProblemListService>();
        services.AddScoped<PrintedPatient>();
        services.AddScoped<ImmunizationHistory>();
        services.AddScoped<PatientDocuments>();
        services.AddSingleton<LiveEventHub>();
        services.AddScoped<LiveUpdates>();
        services.AddHostedService<LiveEventListener>();
        return services;
    }
}
