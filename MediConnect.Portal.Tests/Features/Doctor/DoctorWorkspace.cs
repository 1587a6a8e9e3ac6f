using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Doctor.Appointments;
using MediConnect.Portal.Features.Doctor.Patients;
using MediConnect.Portal.Features.Doctor.Prescriptions;
using MediConnect.Portal.Features.Doctor.Records;
using MediConnect.Portal.Features.Shared.Vitals;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;

namespace MediConnect.Portal.Tests.Features.Doctor;

/// <summary>The doctor-workspace services over a test database, as one signed-in user sees them.</summary>
public sealed class DoctorWorkspace(TestDatabase database, ICurrentUser user, TimeProvider? clock = null)
{
    static int _slot;

    TimeProvider Clock => clock ?? TimeProvider.System;
    AuditLog Audit => new(user);
    CareTeam CareTeam => new(database.DataSource);

    public DoctorAppointments Appointments => new(database.DataSource, user, Audit, Clock);
    public DoctorPatients Patients => new(database.Reads, user, Clock);
    public PatientChart Chart => new(database.DataSource, user, CareTeam, Audit);
    public DoctorPrescriptions Prescriptions => new(database.DataSource, user, CareTeam, Audit, Clock);
    public ConsultationNotes Notes => new(database.DataSource, user, CareTeam, Audit);
    public VitalsReader Vitals => new(database.DataSource, database.Reads, user, CareTeam);

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

    public static Task<long> AuditCountAsync(TestDatabase database, string entityType, object entityId) =>
        database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM audit_log WHERE entity_type = @entityType AND entity_id = @entityId",
            new { entityType, entityId = entityId.ToString() });
}
