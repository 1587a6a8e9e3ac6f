using AngleSharp.Dom;
using Bunit;
using MediConnect.Portal.Features.Doctor.Appointments;
using MediConnect.Portal.Features.Doctor.Home;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
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

    /// <summary>The doctor's appointments page (which reads the URL) at <paramref name="url"/>, and its list.</summary>
    IRenderedComponent<AppointmentList> RenderListAt(string url = "doctor")
    {
        Navigation.NavigateTo(url);
        Render<MudPopoverProvider>();
        return Render<DoctorHome>().FindComponent<AppointmentList>();
    }

    NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    string Query => new Uri(Navigation.Uri).Query;

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

    [Fact]
    public async Task AListOpenedAtALinkShowsTheViewItNames()
    {
        await SignInAsync(Smith);
        var cut = RenderListAt("doctor?scope=all&status=completed&status=cancelled&sort=patient&dir=desc&size=10&page=2");

        await cut.WaitForAssertionAsync(() =>
        {
            var query = cut.Instance.LastQuery!;
            Assert.Equal((AppointmentScope.All, AppointmentSort.PatientName, true, 1, 10), (query.Scope, query.Sort, query.Descending, query.Page, query.PageSize));
            Assert.Equal(["completed", "cancelled"], query.Statuses!);
            Assert.NotEmpty(Rows(cut));
            Assert.All(Rows(cut), r => Assert.Contains(r.QuerySelector(".status-chip")!.TextContent.Trim(), new[] { "Completed", "Cancelled" }));
        }, TimeSpan.FromSeconds(10));
        Assert.Contains("mud-button-filled", cut.Find("#scope-filter [data-scope='All']").ClassName);
    }

    [Fact]
    public async Task ChangingAFilterPutsItInTheUrlAndTheDefaultsStayOut()
    {
        await SignInAsync(Smith);
        var cut = RenderListAt();
        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(Rows(cut)), TimeSpan.FromSeconds(10));
        Assert.Equal("", Query);

        await cut.Find("#scope-filter [data-scope='Past']").ClickAsync(new());
        await cut.Find("#status-filter [data-status='completed']").ClickAsync(new());
        await cut.TypeAsync("Patient name", "wilson");

        await cut.WaitForAssertionAsync(() => Assert.Equal("?scope=past&status=completed&patient=wilson", Query), TimeSpan.FromSeconds(10));

        await cut.Find("#scope-filter [data-scope='Upcoming']").ClickAsync(new());
        await cut.WaitForAssertionAsync(() => Assert.Equal("?status=completed&patient=wilson", Query), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task GoingBackInHistoryShowsThePreviousFilter()
    {
        await SignInAsync(Smith);
        var cut = RenderListAt("doctor?scope=past");
        await cut.WaitForAssertionAsync(() => Assert.Equal(AppointmentScope.Past, cut.Instance.LastQuery?.Scope), TimeSpan.FromSeconds(10));

        // What Back does: the browser's URL changes under the list.
        Navigation.NavigateTo("doctor?scope=all&status=no_show");

        await cut.WaitForAssertionAsync(() =>
        {
            Assert.Equal(AppointmentScope.All, cut.Instance.LastQuery!.Scope);
            Assert.Equal(["no_show"], cut.Instance.LastQuery.Statuses!);
            Assert.Contains("mud-button-filled", cut.Find("#scope-filter [data-scope='All']").ClassName);
        }, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task InvalidValuesInTheUrlFallBackToTheDefaultView()
    {
        await SignInAsync(Smith);
        var cut = RenderListAt("doctor?scope=everything&status=bogus&page=-3&size=7&from=garbage&sort=salary&dir=sideways");

        await cut.WaitForAssertionAsync(() =>
        {
            Assert.Equal(new AppointmentQuery(Statuses: []) with { Statuses = cut.Instance.LastQuery!.Statuses }, cut.Instance.LastQuery);
            Assert.Empty(cut.Instance.LastQuery.Statuses!);
            Assert.NotEmpty(Rows(cut));
            Assert.Equal("", Query);
        }, TimeSpan.FromSeconds(10));
    }
}
