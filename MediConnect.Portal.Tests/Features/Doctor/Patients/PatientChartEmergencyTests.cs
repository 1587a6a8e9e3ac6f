using Bunit;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Doctor.Patients;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using static MediConnect.Portal.Tests.Fixtures.Demo;

namespace MediConnect.Portal.Tests.Features.Doctor.Patients;

/// <summary>The chart page under break-glass, on a clock the test moves: the offer, the read-only chart, and its end while open.</summary>
public sealed class PatientChartEmergencyTests(TestDatabase database)
    : DatabaseComponentTest(database, new FakeTimeProvider(DateTimeOffset.UtcNow)), IClassFixture<TestDatabase>
{
    static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    const string Reason = "Collapsed in the waiting room; needs allergy list before treatment.";

    FakeTimeProvider Clock => (FakeTimeProvider)Time;

    [Fact]
    public async Task ADoctorOutsideTheCareTeamAsksForEmergencyAccessWithAReasonAndReadsTheChartWithoutWriteActions()
    {
        await SignInAsync(Patel);
        var john = await Database.UserIdAsync(John);
        Render<MudPopoverProvider>();
        var cut = Render<PatientChartPage>(p => p.Add(c => c.PatientUserId, john));
        await cut.WaitForAssertionAsync(() => Assert.Contains("do not have access", cut.Find("#chart-denied").TextContent), Wait);

        (await cut.WaitForElementAsync("#emergency-open", Wait)).Click();
        (await cut.WaitForElementAsync("#emergency-reason", Wait)).Input("It is urgent");
        cut.Find("#emergency-confirm").Click();
        await cut.WaitForAssertionAsync(() => Assert.Contains("at least 20 letters or digits", cut.Markup), Wait);
        cut.Find("#emergency-reason").Input(new string('\u200B', 25));
        cut.Find("#emergency-confirm").Click();
        await cut.WaitForAssertionAsync(() => Assert.Contains("invisible characters do not count", cut.Markup), Wait);
        Assert.Empty(cut.FindAll("#chart-heading"));
        cut.Find("#emergency-reason").Input(Reason);
        cut.Find("#emergency-confirm").Click();

        await cut.WaitForAssertionAsync(() => Assert.Equal("John Doe", cut.Find("#chart-heading").TextContent), Wait);
        Assert.Contains("Emergency access, read-only", cut.Find("#emergency-banner").TextContent);
        Assert.Contains("Penicillin", cut.Find("#chart-allergies").TextContent);
        Assert.Empty(cut.FindAll("#chart-prescribe"));
        Assert.Empty(cut.FindAll("#chart-write-note"));
    }

    [Fact]
    public async Task AnOpenChartClosesItselfWhenTheEmergencyAccessEnds()
    {
        var doctor = await SignInAsync(await Database.NewUserAsync(Portal.Security.Roles.Doctor));
        var john = await Database.UserIdAsync(John);
        await new DoctorWorkspace(Database, doctor, Clock).Emergency.RequestAsync(john, Reason);
        Render<MudPopoverProvider>();
        var cut = Render<PatientChartPage>(p => p.Add(c => c.PatientUserId, john));
        await cut.WaitForAssertionAsync(() => Assert.Contains("Penicillin", cut.Find("#chart-allergies").TextContent), Wait);

        Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Contains("Penicillin", cut.Markup);
        Clock.Advance(TimeSpan.FromMinutes(1));

        await cut.WaitForAssertionAsync(() => Assert.Equal("Your emergency access to this chart has ended.", cut.Find("#chart-denied").TextContent), Wait);
        Assert.DoesNotContain("Penicillin", cut.Markup);
        Assert.Empty(cut.FindAll("#chart-heading"));
        Assert.NotEmpty(cut.FindAll("#emergency-open")); // a new emergency can be declared, with a new reason
    }

    [Fact]
    public async Task UnderEmergencyAccessTheChartCanBeReadButNotPrinted()
    {
        var doctor = await SignInAsync(await Database.NewUserAsync(Portal.Security.Roles.Doctor));
        var john = await Database.UserIdAsync(John);
        await new DoctorWorkspace(Database, doctor, Clock).Emergency.RequestAsync(john, Reason);

        var cut = Render<ChartPrintPage>(p => p.Add(c => c.PatientUserId, john));

        await cut.WaitForAssertionAsync(() => Assert.Contains("can be read, not printed", cut.Find("#chart-print-refused").TextContent), Wait);
        Assert.DoesNotContain("Penicillin", cut.Markup);
        Assert.Empty(cut.FindAll("#chart-summary"));
    }

    [Theory]
    [InlineData(Demo.Admin)]
    [InlineData(Emily)]
    public async Task OnlyDoctorsAreOfferedEmergencyAccess(string email)
    {
        await SignInAsync(email);
        var john = await Database.UserIdAsync(John);

        var cut = Render<PatientChartPage>(p => p.Add(c => c.PatientUserId, john));

        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(cut.FindAll("#chart-denied")), Wait);
        Assert.Empty(cut.FindAll("#emergency-access"));
        Assert.Equal(0, await Database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM break_glass_grants WHERE doctor_id = (SELECT id FROM users WHERE email = @email)", new { email }));
    }
}
