using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Patient.Appointments;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;

namespace MediConnect.Portal.Tests.Features.Patient.Appointments;

public sealed class AfterVisitSummaryServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    async Task<AfterVisitSummaryService> AsAsync(string email)
    {
        var user = await database.SignedInAsync(email);
        return new AfterVisitSummaryService(database.DataSource, user, Demo.Audit(user), TimeProvider.System);
    }

    /// <summary>A completed visit of John with Dr. Smith some days ago (at 07:30, outside the demo data's hours), with a consultation note and a prescription written at it.</summary>
    async Task<int> CompletedVisitAsync(string diagnosis, string medication, int daysAgo)
    {
        var (john, smith) = (await database.UserIdAsync(Demo.John), await database.UserIdAsync(Demo.Smith));
        var visit = await database.DataSource.QueryOneAsync<int>("""
            INSERT INTO appointments (patient_id, doctor_id, appointment_date, appointment_time, duration_minutes, type, reason, status)
            VALUES (@john, @smith, current_date - @daysAgo, '07:30', 30, 'follow-up', 'Blood pressure check', 'completed') RETURNING id
            """, new { john, smith, daysAgo });
        await database.DataSource.ExecuteAsync("""
            INSERT INTO medical_records (patient_id, doctor_id, appointment_id, record_type, chief_complaint, diagnosis, treatment_plan)
            VALUES (@john, @smith, @visit, 'consultation', 'Headaches in the morning', @diagnosis, 'Walk 30 minutes a day');
            INSERT INTO prescriptions (patient_id, doctor_id, appointment_id, medication, dosage, frequency, status, prescribed_date)
            VALUES (@john, @smith, @visit, @medication, '5 mg', 'once a day', 'active', current_date - @daysAgo)
            """, new { john, smith, visit, diagnosis, medication, daysAgo });
        return visit;
    }

    [Fact]
    public async Task JohnsSummaryHasTheVisitItsNotesWhatWasPrescribedAndHisNextAppointmentAndIsAudited()
    {
        var visit = await CompletedVisitAsync("Stage 1 hypertension", "Amlodipine", daysAgo: 7);
        var service = await AsAsync(Demo.John);

        var summary = await service.ForAsync(visit);

        Assert.Equal("Dr. Sarah Smith", summary.Visit.DoctorName);
        Assert.Equal("Stage 1 hypertension", Assert.Single(summary.Notes).Diagnosis);
        Assert.Equal("Amlodipine", Assert.Single(summary.Prescriptions).Medication);
        Assert.NotNull(summary.NextAppointment);
        Assert.True(summary.NextAppointment.AppointmentDate >= DateOnly.FromDateTime(DateTime.Today));
        Assert.Equal(1, await database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action = @action AND entity_id = @visit::text", new { action = AfterVisitSummaryService.ViewAction, visit }));
    }

    [Fact]
    public async Task AnotherPatientCannotReadItAndAVisitNotYetCompletedHasNone()
    {
        var visit = await CompletedVisitAsync("Tension headache", "Ibuprofen", daysAgo: 8);
        var upcoming = (await database.DataSource.QueryOneAsync<int>(
            "SELECT id FROM appointments WHERE patient_id = @john AND status IN ('scheduled', 'confirmed') ORDER BY id LIMIT 1",
            new { john = await database.UserIdAsync(Demo.John) }));

        await Assert.ThrowsAsync<AccessDeniedException>(async () => await (await AsAsync(Demo.Emily)).ForAsync(visit));
        var notYet = await Assert.ThrowsAsync<BusinessRuleException>(async () => await (await AsAsync(Demo.John)).ForAsync(upcoming));
        Assert.Contains("once the visit is completed", notYet.Message);
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await (await AsAsync(Demo.Smith)).ForAsync(visit));
    }
}
