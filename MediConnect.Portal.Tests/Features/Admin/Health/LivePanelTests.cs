using Bunit;
using MediConnect.Portal.Features.Admin.Health;
using MediConnect.Portal.Features.Shared.Live;
using MediConnect.Portal.Tests.Fixtures;

namespace MediConnect.Portal.Tests.Features.Admin.Health;

public sealed class LivePanelTests : PortalComponentTest
{
    static readonly DateTimeOffset Since = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public void AListeningInstanceShowsItsEventsPerMinuteAndTheOpenPagesItServes()
    {
        var panel = Render<LivePanel>(p => p.Add(c => c.Status,
            new LiveStatus(LiveListenerState.Listening, "postgres@db:5432/mediconnect", Since, null, 1, 42, 3, 11)));

        Assert.Equal("listening", panel.Find("#live-state").GetAttribute("data-state"));
        Assert.Contains("Listening since", panel.Find("#live-state").TextContent);
        Assert.Equal("42", panel.Find("#live-events-per-minute").TextContent);
        Assert.Equal("3 / 11", panel.Find("#live-circuits").TextContent);
        Assert.Equal("1", panel.Find("#live-reconnects").TextContent);
        Assert.Contains("postgres@db:5432/mediconnect", panel.Markup);
    }

    [Fact]
    public void AReconnectingInstanceSaysSoWithTheLastError()
    {
        var panel = Render<LivePanel>(p => p.Add(c => c.Status,
            new LiveStatus(LiveListenerState.Reconnecting, "postgres@db:5432/mediconnect", Since, "Connection refused", 0, 0, 2, 5)));

        Assert.Equal("reconnecting", panel.Find("#live-state").GetAttribute("data-state"));
        Assert.Contains("Reconnecting", panel.Find("#live-state").TextContent);
        Assert.Contains("Connection refused", panel.Markup);
    }
}
