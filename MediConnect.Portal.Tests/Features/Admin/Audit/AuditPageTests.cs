using AngleSharp.Dom;
using Bunit;
using MediConnect.Portal.Features.Admin.Audit;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using MudBlazor;
using static MediConnect.Portal.Tests.Fixtures.Demo;

namespace MediConnect.Portal.Tests.Features.Admin.Audit;

public sealed class AuditPageTests(TestDatabase database) : DatabaseComponentTest(database, holdConnections: true), IClassFixture<TestDatabase>
{
    const string UserFilter = "User (name or email)";

    static IReadOnlyList<IElement> Rows(IRenderedComponent<AuditPage> cut) => cut.FindAll("#audit-table tbody tr.mud-table-row");

    [Fact]
    public async Task AnEarlierFilterFinishingLastNeverReplacesTheNewerRows()
    {
        foreach (var email in new[] { Smith, Patel })
            await AuditLog.WriteAsync(Database.DataSource, new AuditEntry(await Database.UserIdAsync(email), "sign_in", "user"));
        await SignInAsync(Demo.Admin);
        Render<MudPopoverProvider>();
        var cut = Render<AuditPage>();
        await cut.WaitForAssertionAsync(() => Assert.Contains(Rows(cut), r => r.TextContent.Contains(Smith)), TimeSpan.FromSeconds(10));

        var slow = Connections.HoldOpens();
        var smithFilter = cut.TypeAsync(UserFilter, "smith");
        await slow.ReachedAsync();
        slow.PassNewOpens();
        await cut.TypeAsync(UserFilter, "patel");
        Assert.All(Rows(cut), r => Assert.Contains(Patel, r.TextContent));

        slow.Release();
        await smithFilter;

        Assert.NotEmpty(Rows(cut));
        Assert.All(Rows(cut), r => Assert.Contains(Patel, r.TextContent));
    }
}
