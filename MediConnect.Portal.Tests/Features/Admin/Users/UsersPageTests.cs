using AngleSharp.Dom;
using Bunit;
using MediConnect.Portal.Features.Admin.Users;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using static MediConnect.Portal.Tests.Fixtures.Demo;

namespace MediConnect.Portal.Tests.Features.Admin.Users;

public sealed class UsersPageTests(TestDatabase database) : DatabaseComponentTest(database, holdConnections: true), IClassFixture<TestDatabase>
{
    const string Search = "Search name or email";

    static IReadOnlyList<IElement> Rows(IRenderedComponent<UsersPage> cut) => cut.FindAll("#users-table tbody tr.mud-table-row");

    [Fact]
    public async Task AnEarlierSearchFinishingLastNeverReplacesTheNewerRows()
    {
        await SignInAsync(Demo.Admin);
        Render<MudPopoverProvider>();
        var cut = Render<UsersPage>();
        await cut.WaitForAssertionAsync(() => Assert.Contains(Rows(cut), r => r.TextContent.Contains(Smith)), TimeSpan.FromSeconds(10));

        var slow = Connections.HoldOpens();
        var smithSearch = cut.TypeAsync(Search, "smith");
        await slow.ReachedAsync();
        slow.PassNewOpens();
        await cut.TypeAsync(Search, "patel");
        Assert.All(Rows(cut), r => Assert.Contains(Patel, r.TextContent));

        slow.Release();
        await smithSearch;

        Assert.Single(Rows(cut));
        Assert.Contains(Patel, Rows(cut)[0].TextContent);
    }

    [Fact]
    public async Task ALinkWithASearchAndRoleShowsThoseUsersAndANewSearchReplacesItInTheUrl()
    {
        await SignInAsync(Demo.Admin);
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("admin/users?q=mediconnect&role=doctor&status=active&page=9");
        Render<MudPopoverProvider>();
        var cut = Render<UsersPage>();

        await cut.WaitForAssertionAsync(() =>
        {
            Assert.Contains(Rows(cut), r => r.TextContent.Contains(Smith));
            Assert.All(Rows(cut), r => Assert.Equal("doctor", r.QuerySelector("td[data-label='Role']")!.TextContent.Trim()));
            // Page 9 is past the last page: the list shows the first, and the URL says so.
            Assert.Equal("?q=mediconnect&role=doctor&status=active", new Uri(navigation.Uri).Query);
        }, TimeSpan.FromSeconds(10));

        await cut.TypeAsync(Search, "patel");
        await cut.WaitForAssertionAsync(() =>
        {
            Assert.Single(Rows(cut));
            Assert.Equal("?q=patel&role=doctor&status=active", new Uri(navigation.Uri).Query);
        }, TimeSpan.FromSeconds(10));
    }
}
