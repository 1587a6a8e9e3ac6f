using MediConnect.Portal.Data;
using MediConnect.Portal.Tests.Fixtures;
using static MediConnect.Portal.Tests.Features.Doctor.DoctorWorkspace;
using static MediConnect.Portal.Tests.Fixtures.Demo;

namespace MediConnect.Portal.Tests.Features.Doctor.Patients;

/// <summary>
/// The chart's summary (card and print) and My patients show the structured problem list and
/// allergies (the active entries), not the free text the patient row kept from before them.
/// </summary>
public sealed class ChartStructuredListsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task TheChartAndMyPatientsShowTheActiveStructuredEntriesNotTheOldFreeText()
    {
        var john = await database.UserIdAsync(John);
        var smith = await database.UserIdAsync(Smith);
        await database.DataSource.ExecuteAsync("""
            UPDATE patient_allergies SET status = 'inactive' WHERE patient_id = @john;
            INSERT INTO patient_allergies (patient_id, substance, recorded_by) VALUES (@john, 'Latex', @smith);
            UPDATE patient_problems SET status = 'resolved', resolved_date = current_date WHERE patient_id = @john;
            INSERT INTO patient_problems (patient_id, icd10_code, description, recorded_by) VALUES (@john, 'E11.9', 'Type 2 diabetes', @smith);
            """, new { john, smith });
        var workspace = await SignedInAsync(database, Smith);

        var summary = await workspace.Chart.OpenAsync(john);

        Assert.Equal("Latex", summary.Allergies);
        Assert.Equal("Type 2 diabetes (E11.9)", summary.Conditions);
        Assert.Equal("Latex", (await workspace.Patients.ListAsync("john")).Single().Allergies);
    }

    [Fact]
    public async Task APatientWithNoActiveAllergyHasNoAllergyFlag()
    {
        var maria = await database.UserIdAsync("maria.rodriguez@mediconnect.demo");
        await database.DataSource.ExecuteAsync(
            "UPDATE patients SET allergies = 'Free text only' WHERE user_id = @maria", new { maria });
        var workspace = await SignedInAsync(database, Smith);

        var summary = await workspace.Chart.OpenAsync(maria);

        Assert.Null(summary.Allergies);
        Assert.False((await workspace.Patients.ListAsync("maria")).Single().HasAllergies);
    }
}
