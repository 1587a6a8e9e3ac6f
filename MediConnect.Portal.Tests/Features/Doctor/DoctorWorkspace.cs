using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Doctor.Appointments;
using MediConnect.Portal.Features.Doctor.Flags;
using MediConnect.Portal.Features.Doctor.Patients;
using MediConnect.Portal.Features.Doctor.Prescriptions;
using MediConnect.Portal.Features.Doctor.Records;
using MediConnect.Portal.Features.Shared.Vitals;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediConnect.Portal.Tests.Features.Doctor;

/// <summary>The doctor-workspace services over a test database, as one signed-in user sees them.</summary>
public sealed class DoctorWorkspace(TestDatabase database, ICurrentUser user, TimeProvider? clock = null)
{
    static int _slot;

    TimeProvider Clock => clock ?? TimeProvider.System;
    AuditLog Audit => new(user);
    CareTeam CareTeam => Demo.CareTeam(database, Clock);
    ChartAccessGuard ChartAccess => Demo.ChartAccess(database, user, Clock);

    public DoctorAppointments Appointments => new(database.DataSource, user, Audit, Clock);
    public DoctorPatients Patients => new(database.Reads, user, Clock);
    public PatientChart Chart => new(database.DataSource, user, CareTeam, ChartAccess, Audit);
    public EmergencyAccess Emergency => new(database.DataSource, user, CareTeam, Audit, new BreakGlassSettings(), Clock, NullLogger<EmergencyAccess>.Instance);
    public DoctorPrescriptions Prescriptions => new(database.DataSource, user, CareTeam, Audit, Clock);
    public ConsultationNotes Notes => new(database.DataSource, user, CareTeam, Audit);
    public ClinicalFlags Flags => new(database.DataSource, user, CareTeam, ChartAccess, Audit, Clock);
    public VitalsReader Vitals => new(database.DataSource, database.Reads, user, ChartAccess);

    public static async Task<DoctorWorkspace> SignedInAsync(TestDatabase database, string email, TimeProvider? clock = null) =>
        new(database, await database.SignedInAsync(email), clock);

    /// <summary>A new appointment in a slot of its own (far ahead unless a date is given).</summary>
    public static async Task<int> InsertAppointmentAsync(TestDatabase database, string status, DateOnly? date = null, TimeOnly? time = null,
        string patient = Demo.John, string doctor = Demo.Smith)
    {
        var n = Interlocked.Increment(ref _slot);
        var day = date ?? DateOnly.FromDateTime(DateTime.Today).AddDays(400 + n / 16);
        var at = time ?? new TimeOnly(8, 0).AddMinutes(30 * (n % 16));
        return await database.DataSource.InsertReturningAsync<int>(
            """
            INSERT INTO appointments (patient_id, doctor_id, appointment_date, appointment_time, reason, status, cancellation_reason)
            VALUES ((SELECT id FROM users WHERE email = @patient), (SELECT id FROM users WHERE email = @doctor),
                    @day, @at, 'Test visit', @status, CASE WHEN @status = 'cancelled' THEN 'test' END)
            RETURNING id
            """, new { patient, doctor, day, at, status });
    }

    /// <summary>A vital-sign reading of <paramref name="patient"/> recorded now (by the database's clock), as a patient's device would send it.</summary>
    public static Task<int> InsertReadingAsync(TestDatabase database, int? heartRate, string? bloodPressure, string patient = Demo.John) =>
        database.DataSource.InsertReturningAsync<int>(
            """
            INSERT INTO vital_signs (patient_id, heart_rate, blood_pressure, recorded_at, recorded_by, device_source)
            SELECT p.id, @heartRate, @bloodPressure, now(), u.id, 'Manual Entry'
            FROM users u JOIN patients p ON p.user_id = u.id
            WHERE u.email = @patient
            RETURNING id
            """, new { patient, heartRate, bloodPressure });

    public static Task<long> AuditCountAsync(TestDatabase database, string entityType, object entityId) =>
        database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM audit_log WHERE entity_type = @entityType AND entity_id = @entityId",
            new { entityType, entityId = entityId.ToString() });
}
