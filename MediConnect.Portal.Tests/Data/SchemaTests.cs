using MediConnect.Portal.Data;
using MediConnect.Portal.Tests.Fixtures;
using Npgsql;

namespace MediConnect.Portal.Tests.Data;

/// <summary>The real schema and demo data, as the pages will read them.</summary>
public sealed class SchemaTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    NpgsqlDataSource Db => database.DataSource;

    sealed record PatientRow(int UserId, string Name, string Email, int? Age, string? Allergies);
    sealed record UpcomingRow(int Id, int PatientId, int DoctorId, string PatientName, string DoctorName, string? DoctorSpecialization, DateOnly AppointmentDate, string Status);
    sealed record PrescriptionRow(int PatientId, int DoctorId, string PatientName, string Medication, string Status);

    [Fact]
    public async Task PatientSummaryListsActivePatientsWithTheirDetails()
    {
        var rows = await Db.QueryListAsync<PatientRow>("SELECT user_id, name, email, age, allergies FROM patient_summary ORDER BY name");

        var john = Assert.Single(rows, r => r.Email == "john.doe@mediconnect.demo");
        Assert.Equal("John Doe", john.Name);
        Assert.Contains("Penicillin", john.Allergies);
        Assert.InRange(john.Age ?? 0, 40, 50);
        Assert.True(rows.Count >= 9);
        Assert.DoesNotContain(rows, r => r.Email == "linda.martinez@mediconnect.demo"); // inactive
    }

    [Fact]
    public async Task UpcomingAppointmentsAreLiveFromTodayOnWithBothIdsAndNames()
    {
        var smith = await database.UserIdAsync("dr.smith@mediconnect.demo");
        var john = await database.UserIdAsync("john.doe@mediconnect.demo");

        var rows = await Db.QueryListAsync<UpcomingRow>(
            """
            SELECT id, patient_id, doctor_id, patient_name, doctor_name, doctor_specialization, appointment_date, status
            FROM upcoming_appointments WHERE doctor_id = @smith ORDER BY appointment_date, appointment_time
            """, new { smith });

        var today = DateOnly.FromDateTime(DateTime.Now);
        Assert.Contains(rows, r => r.AppointmentDate == today);
        Assert.Contains(rows, r => r.AppointmentDate > today);
        Assert.All(rows, r =>
        {
            Assert.True(r.AppointmentDate >= today);
            Assert.DoesNotContain(r.Status, new[] { "cancelled", "completed" });
            Assert.Equal("Dr. Sarah Smith", r.DoctorName);
            Assert.Equal("Cardiology", r.DoctorSpecialization);
        });
        Assert.Contains(rows, r => r.PatientId == john && r.PatientName == "John Doe");
    }

    [Fact]
    public async Task ActivePrescriptionsAreActiveOrFilledOnly()
    {
        var rows = await Db.QueryListAsync<PrescriptionRow>("SELECT patient_id, doctor_id, patient_name, medication, status FROM active_prescriptions");
        var john = await database.UserIdAsync("john.doe@mediconnect.demo");

        Assert.All(rows, r => Assert.Contains(r.Status, new[] { "active", "filled" }));
        Assert.Contains(rows, r => r.PatientId == john && r.PatientName == "John Doe");
        var allStatuses = await Db.QueryListAsync<string>("SELECT DISTINCT status FROM prescriptions ORDER BY 1");
        Assert.Equal(["active", "cancelled", "completed", "dispensed", "filled", "pending"], allStatuses);
    }

    [Fact]
    public async Task DemoDataHasEveryAppointmentStatusAndOutOfRangeVitals()
    {
        var statuses = await Db.QueryListAsync<string>("SELECT DISTINCT status FROM appointments ORDER BY 1");
        var highBloodPressure = await Db.QueryOneAsync<long>(
            "SELECT count(*) FROM vital_signs WHERE split_part(blood_pressure, '/', 1)::int >= 140");

        Assert.Equal(["cancelled", "completed", "confirmed", "in_progress", "no_show", "scheduled"], statuses);
        Assert.True(highBloodPressure > 0);
    }

    [Fact]
    public async Task ADoctorCannotHoldTwoLiveAppointmentsInOneSlot()
    {
        var slot = await Db.QueryOneAsync<(int DoctorId, DateTime Date, TimeSpan Time)>(
            "SELECT doctor_id, appointment_date, appointment_time FROM upcoming_appointments LIMIT 1");
        var patient = await database.UserIdAsync("emily.johnson@mediconnect.demo");
        const string insert = """
            INSERT INTO appointments (patient_id, doctor_id, appointment_date, appointment_time, status)
            VALUES (@patient, @doctor, @date, @time, @status)
            """;

        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            Db.ExecuteAsync(insert, new { patient, doctor = slot.DoctorId, date = slot.Date, time = slot.Time, status = "scheduled" }));
        var cancelledInSameSlot = await Db.ExecuteAsync(insert, new { patient, doctor = slot.DoctorId, date = slot.Date, time = slot.Time, status = "cancelled" });

        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
        Assert.Equal("appointments_doctor_slot_live_key", error.ConstraintName);
        Assert.Equal(1, cancelledInSameSlot);
    }

    [Fact]
    public async Task YesterdaysAppointmentCanStillBeCompleted()
    {
        // Its own visit dated yesterday: the demo data has none on a Monday or a Sunday (it books weekdays only).
        var id = await Db.InsertReturningAsync<int>(
            """
            INSERT INTO appointments (patient_id, doctor_id, appointment_date, appointment_time, status)
            SELECT p.id, d.id, CURRENT_DATE - 1, '07:00', 'in_progress'
            FROM users p, users d WHERE p.email = 'john.doe@mediconnect.demo' AND d.email = 'dr.smith@mediconnect.demo'
            RETURNING id
            """);

        var updated = await Db.ExecuteAsync("UPDATE appointments SET status = 'completed' WHERE id = @id", new { id });

        Assert.Equal(1, updated);
    }

    [Fact]
    public async Task AuditLogIsAppendOnly()
    {
        await Db.ExecuteAsync("INSERT INTO audit_log (action, entity_type) VALUES ('test', 'schema')");

        var update = await Assert.ThrowsAsync<PostgresException>(() => Db.ExecuteAsync("UPDATE audit_log SET action = 'changed'"));
        var delete = await Assert.ThrowsAsync<PostgresException>(() => Db.ExecuteAsync("DELETE FROM audit_log"));

        Assert.Contains("append-only", update.MessageText);
        Assert.Contains("append-only", delete.MessageText);
    }
}
