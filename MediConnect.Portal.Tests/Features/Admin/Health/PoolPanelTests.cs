using Bunit;
using MediConnect.Portal.Tests.Fixtures;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Admin.Health;

namespace MediConnect.Portal.Tests.Features.Admin.Health;

public sealed class PoolPanelTests : PortalComponentTest
{
    static PoolSnapshot At(int seconds, int idle, int busy, int waiting = 0, long timeouts = 0) =>
        new(idle + busy, idle, busy, waiting, 20, timeouts, new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero).AddSeconds(seconds));

    [Fact]
    public void ShowsEveryFigureAndAChartOfTheHistory()
    {
        PoolSnapshot[] history = [At(0, 2, 0), At(2, 1, 3), At(4, 0, 5, timeouts: 1)];

        var panel = Render<PoolPanel>(p => p.Add(c => c.Current, history[^1]).Add(c => c.History, history));

        Assert.Equal("5", panel.Find("#pool-total").TextContent);
        Assert.Equal("0", panel.Find("#pool-idle").TextContent);
        Assert.Equal("5", panel.Find("#pool-busy").TextContent);
        Assert.Equal("0", panel.Find("#pool-waiting").TextContent);
        Assert.Equal("20", panel.Find("#pool-max").TextContent);
        Assert.Equal("1", panel.Find("#pool-timeouts").TextContent);
        Assert.NotEmpty(panel.FindAll("svg"));
        Assert.DoesNotContain("waiting for a connection", panel.Markup);
    }

    [Fact]
    public void WarnsWhenRequestsWaitForAFullPool()
    {
        var full = new PoolSnapshot(20, 0, 20, 4, 20, 0, DateTimeOffset.UtcNow);

        var panel = Render<PoolPanel>(p => p.Add(c => c.Current, full).Add(c => c.History, [full]));

        Assert.Equal("4", panel.Find("#pool-waiting").TextContent);
        Assert.Contains("4 request(s) are waiting for a connection: the pool is full (20 of 20 busy)", panel.Markup);
    }

    [Fact]
    public void SaysSoBeforeTheFirstFigures()
    {
        var panel = Render<PoolPanel>();

        Assert.Contains("No figures yet.", panel.Markup);
    }
}
