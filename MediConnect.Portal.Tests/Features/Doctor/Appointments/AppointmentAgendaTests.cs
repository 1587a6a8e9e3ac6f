using Bunit;
using MediConnect.Portal.Features.Doctor.Appointments;
using MediConnect.Portal.Tests.Fixtures;
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
}
