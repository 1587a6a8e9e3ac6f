using MediConnect.Portal.Features.Patients;
using MediConnect.Portal.Features.Prescriptions;
using MediConnect.Portal.Features.Records;

namespace MediConnect.Portal.Features.Appointments;

public static class DoctorWorkspaceSetup
{
    /// <summary>The doctor's workspace: appointments, patients and chart, prescriptions, notes (per-circuit scoped services).</summary>
    public static WebApplicationBuilder AddDoctorWorkspace(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<DoctorAppointments>();
        builder.Services.AddScoped<DoctorPatients>();
        builder.Services.AddScoped<PatientChart>();
        builder.Services.AddScoped<DoctorPrescriptions>();
        builder.Services.AddScoped<ConsultationNotes>();
        return builder;
    }
}
