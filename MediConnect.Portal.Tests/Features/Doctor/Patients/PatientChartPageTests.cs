using Bunit;
using MediConnect.Portal.Features.Doctor.Patients;
using MediConnect.Portal.Tests.Features.Doctor;
using MediConnect.Portal.Tests.Fixtures;
using MudBlazor;
using static MediConnect.Portal.Tests.Features.Doctor.DoctorWorkspace;
using static MediConnect.Portal.Tests.Fixtures.Demo;

namespace MediConnect.Portal.Tests.Features.Doctor.Patients;

public sealed class PatientChartPageTests(TestDatabase database) : DatabaseComponentTest(database), IClassFixture<TestDatabase>
{
    [Fact]
    public async Task TheChartShowsAllergiesProminentlyAndTheVitalTrends()
    {
        await SignInAsync(Smith);
        var john = await Database.UserIdAsync(John);
        Render<MudPopoverProvider>();

        var cut = Render<PatientChartPage>(p => p.Add(c => c.PatientUserId, john));

        await cut.WaitForAssertionAsync(() => Assert.Equal("John Doe", cut.Find("#chart-heading").TextContent), TimeSpan.FromSeconds(10));
        Assert.Contains("Penicillin", cut.Find("#chart-allergies").TextContent);
        Assert.Contains("Hypertension", cut.Find("#chart-conditions").TextContent);
        Assert.Contains("Blue Cross Blue Shield", cut.Markup);
        await cut.WaitForAssertionAsync(() => Assert.Equal(6, cut.FindAll(".vital-trend-chart").Count), TimeSpan.FromSeconds(10));
        Assert.NotEmpty(cut.FindAll(".vital-trend-chart svg"));
        Assert.NotEmpty(cut.FindAll("#vitals-table .out-of-range"));
    }

    [Fact]
    public async Task AnotherDoctorSeesAccessDenied()
    {
        await SignInAsync(Patel);
        var john = await Database.UserIdAsync(John);

        var cut = Render<PatientChartPage>(p => p.Add(c => c.PatientUserId, john));

        await cut.WaitForAssertionAsync(() => Assert.Contains("do not have access", cut.Find("#chart-denied").TextContent), TimeSpan.FromSeconds(10));
        Assert.DoesNotContain("Penicillin", cut.Markup);
    }
}
