using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Doctor.Prescriptions;
using MediConnect.Portal.Features.Doctor.Records;
using MediConnect.Portal.Tests.Fixtures;
using Npgsql;
using static MediConnect.Portal.Tests.Features.Doctor.DoctorWorkspace;
using static MediConnect.Portal.Tests.Fixtures.Demo;

namespace MediConnect.Portal.Tests.Features.Doctor;

/// <summary>
/// A write that fails half-way (here: the audit insert is made to fail by a trigger in this
/// class's own database) leaves neither its change nor an audit row.
/// </summary>
public sealed class FailedWriteTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    public async ValueTask InitializeAsync() =>
        await database.DataSource.ExecuteAsync(
            """
            CREATE OR REPLACE FUNCTION test_fail_audit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'audit store unavailable'; END; $$;
            DROP TRIGGER IF EXISTS test_fail_audit ON audit_log;
            CREATE TRIGGER test_fail_audit BEFORE INSERT ON audit_log FOR EACH ROW
                WHEN (NEW.action IN ('appointment_status_change', 'prescription_create', 'prescription_status_change', 'medical_record_create'))
                EXECUTE FUNCTION test_fail_audit();
            """);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    Task<long> AuditRowsAsync() => database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM audit_log");

    [Fact]
    public async Task AFailedStatusMoveLeavesTheAppointmentAsItWasAndNoAuditRow()
    {
        var id = await InsertAppointmentAsync(database, "scheduled");
        var service = (await SignedInAsync(database, Smith)).Appointments;
        var loaded = await service.GetAsync(id);
        var auditBefore = await AuditRowsAsync();

        await Assert.ThrowsAsync<PostgresException>(() => service.MoveAsync(id, "cancelled", loaded.UpdatedAt, "Doctor ill"));

        var after = await service.GetAsync(id);
        Assert.Equal(("scheduled", loaded.UpdatedAt, (string?)null), (after.Status, after.UpdatedAt, after.CancellationReason));
        Assert.Equal(auditBefore, await AuditRowsAsync());
    }

    [Fact]
    public async Task AFailedPrescriptionLeavesNoPrescriptionAndNoAuditRow()
    {
        var workspace = await SignedInAsync(database, Smith);
        var auditBefore = await AuditRowsAsync();
        var draft = new PrescriptionDraft
        {
            PatientUserId = await database.UserIdAsync(John), Medication = "Amlodipine", Dosage = "5 mg", Frequency = "Once daily",
        };

        await Assert.ThrowsAsync<PostgresException>(() => workspace.Prescriptions.PrescribeAsync(draft));

        Assert.Equal(0, await database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM prescriptions WHERE medication = 'Amlodipine'"));
        Assert.Equal(auditBefore, await AuditRowsAsync());
    }

    [Fact]
    public async Task AFailedNoteLeavesNoRecordAndNoAuditRow()
    {
        var appointment = await InsertAppointmentAsync(database, "completed");
        var workspace = await SignedInAsync(database, Smith);
        var john = await database.UserIdAsync(John);
        var auditBefore = await AuditRowsAsync();

        await Assert.ThrowsAsync<PostgresException>(() => workspace.Notes.SaveAsync(
            new NoteDraft { PatientUserId = john, AppointmentId = appointment, Notes = "Seen." }));

        Assert.Equal(0, await database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM medical_records WHERE appointment_id = @appointment", new { appointment }));
        Assert.Equal(auditBefore, await AuditRowsAsync());
    }
}
