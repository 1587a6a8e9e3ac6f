using AngleSharp.Dom;
using Bunit;
using MediConnect.Portal.Features.Doctor.Patients;
using MediConnect.Portal.Tests.Fixtures;
using static MediConnect.Portal.Tests.Fixtures.Demo;

namespace MediConnect.Portal.Tests.Features.Doctor.Patients;

public sealed class MyPatientsPageTests(TestDatabase database) : DatabaseComponentTest(database, holdConnections: true), IClassFixture<TestDatabase>
{
    static IReadOnlyList<IElement> Rows(IRenderedComponent<MyPatientsPage> cut) => cut.FindAll("#my-patients tbody tr.mud-table-row");

    [Fact]
    public async Task SearchingListsOnlyMatchingPatients()
    {
        await SignInAsync(Smith);
        var cut = Render<MyPatientsPage>();
        await cut.WaitForAssertionAsync(() => Assert.Contains(Rows(cut), r => r.TextContent.Contains("John Doe")), TimeSpan.FromSeconds(10));

        await cut.TypeAsync("Search by name or email", "wilson");

        await cut.WaitForAssertionAsync(() => Assert.All(Rows(cut), r => Assert.Contains("David Wilson", r.TextContent)), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task AnEarlierSearchFinishingLastNeverReplacesTheNewerResult()
    {
        await SignInAsync(Smith);
        var cut = Render<MyPatientsPage>();
        await cut.WaitForAssertionAsync(() => Assert.Contains(Rows(cut), r => r.TextContent.Contains("John Doe")), TimeSpan.FromSeconds(10));

        var slow = Connections.HoldOpens();
        var johnSearch = cut.TypeAsync("Search by name or email", "john");
        await slow.ReachedAsync();
        slow.PassNewOpens();
        await cut.TypeAsync("Search by name or email", "wilson");
        Assert.All(Rows(cut), r => Assert.Contains("David Wilson", r.TextContent));

        slow.Release();
        await johnSearch;

        Assert.NotEmpty(Rows(cut));
        Assert.All(Rows(cut), r => Assert.Contains("David Wilson", r.TextContent));
    }
}
