using Bunit;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Patient.RecordAccess;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Features.Doctor;
using MediConnect.Portal.Tests.Fixtures;

namespace MediConnect.Portal.Tests.Features.Patient.RecordAccess;

/// <summary>The "Who looked at my record" page as the patient reads it.</summary>
public sealed class RecordAccessPageTests(TestDatabase database) : DatabaseComponentTest(database), IClassFixture<TestDatabase>
{
    const string Reason = "Found unconscious at the pharmacy, checking medications now.";

    [Fact]
    public async Task ThePatientReadsWhoOpenedTheirChartAndAnEmergencyReadIsMarkedWithItsReason()
    {
        var patientEmail = await Database.NewUserAsync(Roles.Patient);
        var patient = await Database.UserIdAsync(patientEmail);
        await Database.DataSource.ExecuteAsync("INSERT INTO patients (user_id) VALUES (@patient)", new { patient });
        var emergencyDoctor = new DoctorWorkspace(Database, await Database.SignedInAsync(await Database.NewUserAsync(Roles.Doctor)));
        await emergencyDoctor.Emergency.RequestAsync(patient, Reason);
        await emergencyDoctor.Chart.OpenAsync(patient);
        await SignInAsync(patientEmail);

        var cut = Render<RecordAccessPage>();

        await cut.WaitForAssertionAsync(() => Assert.Single(cut.FindAll(".record-access-row")));
        var row = cut.Find(".record-access-emergency");
        Assert.Contains("Test doctor (doctor)", row.TextContent);
        Assert.Contains("Emergency access", row.TextContent);
        Assert.Contains(Reason, row.QuerySelector(".record-access-reason")!.TextContent);
    }

    [Fact]
    public async Task ANewPatientReadsThatNobodyHasOpenedTheirRecord()
    {
        await SignInAsync(await Database.NewUserAsync(Roles.Patient));

        var cut = Render<RecordAccessPage>();

        await cut.WaitForAssertionAsync(() => Assert.Equal("Nobody has opened your record yet.", cut.Find("#record-access-empty").TextContent));
    }

    [Fact]
    public async Task OlderAndNewerPageThroughTheList()
    {
        var patientEmail = await Database.NewUserAsync(Roles.Patient);
        var patient = await Database.UserIdAsync(patientEmail);
        var audit = new AuditLog(await Database.SignedInAsync(Demo.Smith));
        for (var i = 0; i < RecordAccessLog.PageSize + 2; i++)
            await audit.WriteAsync(Database.DataSource, "chart_view", "patient", patient);
        await SignInAsync(patientEmail);
        var cut = Render<RecordAccessPage>();
        await cut.WaitForAssertionAsync(() => Assert.Equal(RecordAccessLog.PageSize, cut.FindAll(".record-access-row").Count));
        var newest = cut.Find(".record-access-row").GetAttribute("data-id");

        await cut.Find("#record-access-older").ClickAsync(new());
        await cut.WaitForAssertionAsync(() => Assert.Equal(2, cut.FindAll(".record-access-row").Count));
        Assert.True(cut.Find("#record-access-older").HasAttribute("disabled"));
        await cut.Find("#record-access-newer").ClickAsync(new());

        await cut.WaitForAssertionAsync(() => Assert.Equal(newest, cut.Find(".record-access-row").GetAttribute("data-id")));
        Assert.Contains("Dr. Sarah Smith (doctor)", cut.Find(".record-access-row").TextContent);
    }
}
