using MediConnect.Portal.Features.Doctor.Appointments;
using MediConnect.Portal.Features.Doctor.Flags;
using MediConnect.Portal.Features.Doctor.Labs;
using MediConnect.Portal.Features.Doctor.Patients;
using MediConnect.Portal.Features.Doctor.Prescriptions;
using MediConnect.Portal.Features.Doctor.Records;

namespace MediConnect.Portal.Features.Doctor;

/// <summary>The doctor's screens: appointments, patients and chart (with break-glass), prescriptions, notes, clinical flags (per-circuit scoped services).</summary>
public static class DoctorSetup
{
    public static IServiceCollection AddDoctorFeatures(this IServiceCollection services)
    {
        services.AddScoped<DoctorAppointments>();
        services.AddScoped<DoctorPatients>();
        services.AddScoped<PatientChart>();
        services.AddScoped<VisitSummaryPrint>();
        services.AddScoped<EmergencyAccess>();
        services.AddScoped<DoctorPrescriptions>();
        services.AddScoped<ConsultationNotes>();
        services.AddScoped<ClinicalFlags>();
        services.AddScoped<LabResultEntry>();
        services.AddScoped<LabCsvImport>();
        return services;
    }
}
