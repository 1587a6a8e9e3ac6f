using MediConnect.Portal.Features.Patient.Appointments;
using MediConnect.Portal.Features.Patient.Health;
using MediConnect.Portal.Features.Patient.Prescriptions;
using MediConnect.Portal.Features.Patient.Profile;
using MediConnect.Portal.Features.Patient.RecordAccess;
using MediConnect.Portal.Features.Patient.Records;
using MediConnect.Portal.Features.Patient.Vitals;

namespace MediConnect.Portal.Features.Patient;

/// <summary>The patient's screens: one scoped service per capability.</summary>
public static class PatientSetup
{
    public static IServiceCollection AddPatientFeatures(this IServiceCollection services)
    {
        services.AddScoped<VitalSignsRecorder>();
        services.AddScoped<PatientAppointmentService>();
        services.AddScoped<AfterVisitSummaryService>();
        services.AddScoped<PatientPrescriptionService>();
        services.AddScoped<PatientRecordService>();
        services.AddScoped<PatientProfileService>();
        services.AddScoped<CorrectionRequests>();
        services.AddScoped<RecordAccessLog>();
        return services;
    }
}
