using Bunit;
using MediConnect.Portal.Features.Doctor.Appointments;
using MediConnect.Portal.Features.Doctor.Home;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using static MediConnect.Portal.Tests.Fixtures.Demo;

namespace MediConnect.Portal.Tests.Features.Doctor.Appointments;

public sealed class AppointmentAgendaTests(TestDatabase database) : DatabaseComponentTest(database, holdConnections: true), IClassFixture<TestDatabase>
{
    [Fact]
    public async Task AnEarlierWeekFinishingLastNeverReplacesTheWeekOnScreen()
    {
        await SignInAsync(Smith);
        var cut = Render<AppointmentAgenda>();
        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(cut.FindAll(".agenda-slot")), TimeSpan.FromSeconds(10));
        var thisWeek = cut.FindAll(".agenda-slot").Select(s => s.GetAttribute("data-appointment-id")).ToList();
        var range = cut.Find("#agenda-range").TextContent;

        var slow = Connections.HoldOpens();
        var nextWeek = cut.Find("button[aria-label='Next week']").ClickAsync(new());
        await slow.ReachedAsync();
        slow.PassNewOpens();
        await cut.Find("button[aria-label='Previous week']").ClickAsync(new());
        Assert.Equal(range, cut.Find("#agenda-range").TextContent);

        slow.Release();
        await nextWeek;

        Assert.Equal(thisWeek, cut.FindAll(".agenda-slot").Select(s => s.GetAttribute("data-appointment-id")).ToList());
    }

    [Fact]
    public async Task TheAgendaOpensAtTheDayInTheUrlAndPutsEachStepThere()
    {
        await SignInAsync(Smith);
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("doctor?view=agenda&agenda=day&date=2030-01-07");
        Render<MudBlazor.MudPopoverProvider>();
        var cut = Render<DoctorHome>().FindComponent<AppointmentAgenda>();
        await cut.WaitForAssertionAsync(() => Assert.Equal("Mon, 7 Jan 2030", cut.Find("#agenda-range").TextContent), TimeSpan.FromSeconds(10));

        await cut.Find("button[aria-label='Next day']").ClickAsync(new());
        await cut.WaitForAssertionAsync(() => Assert.Equal("Tue, 8 Jan 2030", cut.Find("#agenda-range").TextContent), TimeSpan.FromSeconds(10));
        Assert.Equal("?view=agenda&agenda=day&date=2030-01-08", new Uri(navigation.Uri).Query);

        await cut.Find("#agenda-week").ClickAsync(new());
        await cut.WaitForAssertionAsync(() => Assert.Equal("7 Jan – 13 Jan 2030", cut.Find("#agenda-range").TextContent), TimeSpan.FromSeconds(10));
        Assert.Equal("?view=agenda&date=2030-01-08", new Uri(navigation.Uri).Query);

        // A garbled date falls back to today, without an error.
        navigation.NavigateTo("doctor?view=agenda&date=garbage");
        await cut.WaitForAssertionAsync(() => Assert.Contains(DateTime.Now.ToString("yyyy", System.Globalization.CultureInfo.InvariantCulture), cut.Find("#agenda-range").TextContent), TimeSpan.FromSeconds(10));
        Assert.Empty(cut.FindAll(".mud-alert-filled-error, .mud-alert-text-error"));
    }

    [Fact]
    public async Task AWeekAcrossNewYearNamesBothYears()
    {
        await SignInAsync(Smith);
        Services.GetRequiredService<NavigationManager>().NavigateTo("doctor?view=agenda&date=2030-12-31");
        Render<MudBlazor.MudPopoverProvider>();
        var cut = Render<DoctorHome>().FindComponent<AppointmentAgenda>();

        await cut.WaitForAssertionAsync(() => Assert.Equal("30 Dec 2030 – 5 Jan 2031", cut.Find("#agenda-range").TextContent), TimeSpan.FromSeconds(10));
    }
}
