using MediConnect.Portal.Data;
using MediConnect.Portal.Tests.Fixtures;
using static MediConnect.Portal.Tests.Features.Doctor.DoctorWorkspace;
using static MediConnect.Portal.Tests.Fixtures.Demo;

namespace MediConnect.Portal.Tests.Features.Doctor.Patients;

/// <summary>"My patients" on a patient of this class's own, whose visits and readings the test chose.</summary>
public sealed class DoctorPatientsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    const string Zoe = "zoe.visits@mediconnect.demo";
    const string Ravi = "ravi.prescribed@mediconnect.demo";

    async Task<int> NewPatientAsync(string email, string name)
    {
        var id = await database.DataSource.InsertReturningAsync<int>("""
            INSERT INTO users (email, password, role, name) SELECT @email, password, 'patient', @name FROM users WHERE email = @john RETURNING id
            """, new { email, name, john = John });
        await database.DataSource.ExecuteAsync("INSERT INTO patients (user_id) VALUES (@id)", new { id });
        return id;
    }

    [Fact]
    public async Task LastAndNextVisitAreTheDoctorsOwnCompletedAndLiveVisitsAndTheNewestReadingIsShown()
    {
        var zoe = await NewPatientAsync(Zoe, "Zoe Visits");
        var today = DateOnly.FromDateTime(DateTime.Now);
        var early = new TimeOnly(7, 15); // before opening: no demo appointment in the slot
        foreach (var (status, days, doctor) in new[]
        {
            ("completed", -40, Smith), ("completed", -10, Smith), ("no_show", -5, Smith), // last visit: 10 days ago
            ("cancelled", 3, Smith), ("confirmed", 7, Smith), ("scheduled", 20, Smith),   // next visit: in 7 days
            ("completed", -2, Patel), ("scheduled", 1, Patel),                           // another doctor's: not counted
        })
            await InsertAppointmentAsync(database, status, today.AddDays(days), early, Zoe, doctor);
        await database.DataSource.ExecuteAsync("""
            INSERT INTO vital_signs (patient_id, heart_rate, recorded_at, device_source)
            SELECT p.id, v.heart_rate, now() - v.age, 'Manual Entry'
            FROM patients p, (VALUES (72, interval '3 days'), (138, interval '1 hour'), (70, interval '9 days')) AS v(heart_rate, age)
            WHERE p.user_id = @zoe
            """, new { zoe });
        var workspace = await SignedInAsync(database, Smith);

        var patient = Assert.Single(await workspace.Patients.ListAsync("zoe.visits"));

        Assert.Equal(today.AddDays(-10), patient.LastVisit);
        Assert.Equal(today.AddDays(7).ToDateTime(early), patient.NextVisit);
        Assert.Equal(138, patient.LatestVitals?.HeartRate);
        Assert.True(patient.LatestVitalsOutOfRange);
    }

    [Fact]
    public async Task APatientLinkedOnlyByAPrescriptionIsListedWithoutVisitsOrReadings()
    {
        var ravi = await NewPatientAsync(Ravi, "Ravi Prescribed");
        await database.DataSource.ExecuteAsync("""
            INSERT INTO prescriptions (patient_id, doctor_id, medication, dosage, frequency)
            SELECT @ravi, id, 'Metformin', '500 mg', 'Twice daily' FROM users WHERE email = @smith
            """, new { ravi, smith = Smith });
        var workspace = await SignedInAsync(database, Smith);

        var patient = Assert.Single(await workspace.Patients.ListAsync("Ravi"));

        Assert.Equal((null, null, null), (patient.LastVisit, patient.NextVisit, patient.LatestVitals));
        Assert.Empty(await (await SignedInAsync(database, Patel)).Patients.ListAsync("Ravi"));
    }
}
