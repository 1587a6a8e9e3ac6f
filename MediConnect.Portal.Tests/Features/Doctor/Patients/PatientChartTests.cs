using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Doctor.Patients;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using static MediConnect.Portal.Tests.Features.Doctor.DoctorWorkspace;
using static MediConnect.Portal.Tests.Fixtures.Demo;

namespace MediConnect.Portal.Tests.Features.Doctor.Patients;

public sealed class PatientChartTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    Task<long> AuditRowsAsync(string action, int userId, int patientId) =>
        database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action = @action AND user_id = @userId AND entity_type = 'patient' AND entity_id = @patientId",
            new { action, userId, patientId = patientId.ToString() });

    [Fact]
    public async Task ADoctorOpensTheirPatientsChartAndTheViewIsAudited()
    {
        var john = await database.UserIdAsync(John);
        var smith = await database.UserIdAsync(Smith);
        var workspace = await SignedInAsync(database, Smith);

        var summary = await workspace.Chart.OpenAsync(john);

        Assert.Equal("John Doe", summary.Name);
        Assert.Equal("Penicillin", summary.Allergies);
        Assert.Equal("Hypertension", summary.Conditions);
        Assert.Equal("Blue Cross Blue Shield", summary.InsuranceProvider);
        Assert.StartsWith("Jane Doe", summary.EmergencyContactName);
        Assert.Equal(1, await AuditRowsAsync(PatientChart.ViewAction, smith, john));

        Assert.Contains(await workspace.Chart.PrescriptionsAsync(john), p => p.Medication == "Lisinopril" && p.Status == "active");
        Assert.Contains(await workspace.Chart.RecordsAsync(john), r => r.RecordType == "consultation");
        Assert.Contains(await workspace.Chart.AppointmentsAsync(john), a => a.DoctorName == "Dr. Wei Chen");
    }

    [Fact]
    public async Task ADoctorWhoIsNotLinkedIsDeniedAndTheAttemptIsAudited()
    {
        var john = await database.UserIdAsync(John);
        var patel = await database.UserIdAsync(Patel);
        var workspace = await SignedInAsync(database, Patel);

        await Assert.ThrowsAsync<AccessDeniedException>(() => workspace.Chart.OpenAsync(john));

        Assert.Equal(1, await AuditRowsAsync(PatientChart.DeniedAction, patel, john));
        Assert.Equal(0, await AuditRowsAsync(PatientChart.ViewAction, patel, john));
        await Assert.ThrowsAsync<AccessDeniedException>(() => workspace.Chart.PrescriptionsAsync(john));
        await Assert.ThrowsAsync<AccessDeniedException>(() => workspace.Chart.RecordsAsync(john));
        await Assert.ThrowsAsync<AccessDeniedException>(() => workspace.Chart.AppointmentsAsync(john));
        await Assert.ThrowsAsync<AccessDeniedException>(() => workspace.Vitals.ReadingsAsync(john));
    }

    [Fact]
    public async Task APatientOpeningAChartIsDeniedAndAudited()
    {
        var john = await database.UserIdAsync(John);
        var emily = await database.UserIdAsync("emily.johnson@mediconnect.demo");
        var workspace = await SignedInAsync(database, "emily.johnson@mediconnect.demo");

        await Assert.ThrowsAsync<AccessDeniedException>(() => workspace.Chart.OpenAsync(john));

        Assert.Equal(1, await AuditRowsAsync(PatientChart.DeniedAction, emily, john));
    }

    [Fact]
    public async Task MyPatientsListsOnlyLinkedPatientsWithVisitsAndFlags()
    {
        var workspace = await SignedInAsync(database, Smith);

        var patients = await workspace.Patients.ListAsync();

        Assert.Equal(["David Wilson", "James Taylor", "John Doe", "Maria Rodriguez", "Michael Brown"], patients.Select(p => p.Name));
        var john = patients.Single(p => p.Name == "John Doe");
        Assert.True(john.HasAllergies);
        Assert.NotNull(john.LastVisit);
        Assert.NotNull(john.NextVisit);
        Assert.True(john.NextVisit > DateTime.Today);
        Assert.InRange(john.Age ?? 0, 40, 50);
        Assert.NotNull(john.LatestVitals);
        Assert.False(patients.Single(p => p.Name == "Maria Rodriguez").HasAllergies);
        // James Taylor's newest reading is a racing heart (135 bpm).
        Assert.True(patients.Single(p => p.Name == "James Taylor").LatestVitalsOutOfRange);
    }

    [Fact]
    public async Task MyPatientsSearchesByNameOrEmail()
    {
        var workspace = await SignedInAsync(database, Smith);

        Assert.Equal(["John Doe"], (await workspace.Patients.ListAsync("JOHN")).Select(p => p.Name));
        Assert.Equal(["Maria Rodriguez"], (await workspace.Patients.ListAsync("maria.rod")).Select(p => p.Name));
        Assert.Empty(await workspace.Patients.ListAsync("emily"));
    }
}
