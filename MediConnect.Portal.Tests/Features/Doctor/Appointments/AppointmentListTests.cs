using AngleSharp.Dom;
using Bunit;
using MediConnect.Portal.Features.Doctor.Appointments;
using MediConnect.Portal.Tests.Fixtures;
using MudBlazor;
using static MediConnect.Portal.Tests.Features.Doctor.DoctorWorkspace;
using static MediConnect.Portal.Tests.Fixtures.Demo;

namespace MediConnect.Portal.Tests.Features.Doctor.Appointments;

public sealed class AppointmentListTests(TestDatabase database) : DatabaseComponentTest(database, holdConnections: true), IClassFixture<TestDatabase>
{
    IRenderedComponent<AppointmentList> RenderList()
    {
        Render<MudPopoverProvider>();
        return Render<AppointmentList>();
    }

    static IReadOnlyList<IElement> Rows(IRenderedComponent<AppointmentList> cut) => cut.FindAll("#appointment-table tbody tr.mud-table-row");

    [Fact]
    public async Task TheListShowsTheDoctorsUpcomingAppointmentsTodayFirst()
    {
        await SignInAsync(Smith);
        var cut = RenderList();

        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(Rows(cut)), TimeSpan.FromSeconds(10));
        Assert.Contains("Today", Rows(cut)[0].TextContent);
        Assert.Contains(Rows(cut), r => r.TextContent.Contains("John Doe"));
        Assert.DoesNotContain(Rows(cut), r => r.TextContent.Contains("Emily Johnson"));
    }

    [Fact]
    public async Task ClickingAStatusChipFiltersTheListToThatStatus()
    {
        await SignInAsync(Smith);
        var cut = RenderList();
        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(Rows(cut)), TimeSpan.FromSeconds(10));

        await cut.Find("#status-filter [data-status='in_progress']").ClickAsync(new());

        await cut.WaitForAssertionAsync(() =>
        {
            Assert.Equal(["in_progress"], cut.Instance.LastQuery!.Statuses);
            Assert.NotEmpty(Rows(cut));
            Assert.All(Rows(cut), r => Assert.Equal("In progress", r.QuerySelector(".status-chip")!.TextContent.Trim()));
        }, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task TypingAPatientNameFiltersTheList()
    {
        await SignInAsync(Smith);
        var cut = RenderList();
        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(Rows(cut)), TimeSpan.FromSeconds(10));

        await cut.TypeAsync("Patient name", "wilson");

        await cut.WaitForAssertionAsync(() =>
        {
            Assert.Equal("wilson", cut.Instance.LastQuery!.PatientName);
            Assert.NotEmpty(Rows(cut));
            Assert.All(Rows(cut), r => Assert.Contains("David Wilson", r.TextContent));
        }, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ThePastScopeShowsEarlierVisitsNewestFirst()
    {
        await SignInAsync(Smith);
        var cut = RenderList();
        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(Rows(cut)), TimeSpan.FromSeconds(10));

        await cut.Find("#scope-filter [data-scope='Past']").ClickAsync(new());

        await cut.WaitForAssertionAsync(() =>
        {
            Assert.Equal(AppointmentScope.Past, cut.Instance.LastQuery!.Scope);
            Assert.True(cut.Instance.LastQuery.Descending);
            Assert.DoesNotContain(Rows(cut), r => r.TextContent.Contains("Today"));
            Assert.Contains(Rows(cut), r => r.TextContent.Contains("Completed"));
        }, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task AnEarlierFilterFinishingLastNeverReplacesTheNewerRows()
    {
        await SignInAsync(Smith);
        var cut = RenderList();
        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(Rows(cut)), TimeSpan.FromSeconds(10));

        var slow = Connections.HoldOpens();
        var johnFilter = cut.TypeAsync("Patient name", "john");
        await slow.ReachedAsync();
        slow.PassNewOpens();
        await cut.TypeAsync("Patient name", "wilson");
        Assert.All(Rows(cut), r => Assert.Contains("David Wilson", r.TextContent));

        slow.Release();
        await johnFilter;

        Assert.NotEmpty(Rows(cut));
        Assert.All(Rows(cut), r => Assert.Contains("David Wilson", r.TextContent));
    }
}
