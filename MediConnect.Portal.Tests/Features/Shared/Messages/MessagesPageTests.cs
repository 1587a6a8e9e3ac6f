using AngleSharp.Dom;
using Bunit;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Messages;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MediConnect.Portal.Tests.Features.Shared.Messages;

/// <summary>The messages page shows a page of each folder, pages on, and opens any of the user's messages from the URL.</summary>
public sealed class MessagesPageTests(TestDatabase database) : DatabaseComponentTest(database), IClassFixture<TestDatabase>
{
    static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    static IReadOnlyList<IElement> Rows(IRenderedComponent<MessagesPage> cut) => cut.FindAll(".message-row");

    /// <summary>Gives Smith <paramref name="count"/> unread messages from John, newer than any before; returns their ids, oldest first.</summary>
    Task<IReadOnlyList<int>> SmithReceivesAsync(int count) => Database.DataSource.QueryListAsync<int>("""
        INSERT INTO messages (sender_id, recipient_id, subject, body, created_at)
        SELECT j.id, s.id, 'Paging question ' || i, 'Paging body ' || i, (SELECT max(created_at) FROM messages) + i * interval '1 minute'
        FROM generate_series(1, @count) AS i,
             (SELECT id FROM users WHERE email = @John) j, (SELECT id FROM users WHERE email = @Smith) s
        ORDER BY i
        RETURNING id
        """, new { count, Demo.John, Demo.Smith });

    Task<long> SmithsAsync(string where) => Database.DataSource.QueryOneAsync<long>(
        $"SELECT count(*) FROM messages m JOIN users u ON u.id = m.recipient_id WHERE u.email = @Smith AND {where}", new { Demo.Smith });

    [Fact]
    public async Task TheInboxShowsTheNewestPageAndShowOlderAppendsTheNextUntilNoneAreLeft()
    {
        await SmithReceivesAsync(MessageService.PageSize + 5);
        var total = await SmithsAsync("true");
        var unread = await SmithsAsync("NOT m.is_read");
        await SignInAsync(Demo.Smith);
        Render<MudPopoverProvider>();

        var cut = Render<MessagesPage>();

        await cut.WaitForAssertionAsync(() => Assert.Equal(MessageService.PageSize, Rows(cut).Count), Wait);
        // MudTabs draws a panel's new title in the render after the panel's own.
        await cut.WaitForAssertionAsync(() => Assert.Contains($"Inbox ({unread} unread)", cut.Markup), Wait);
        Assert.Contains("Paging question 30", Rows(cut)[0].TextContent);
        while (cut.FindAll(".show-older").Count > 0)
        {
            var shown = Rows(cut).Count;
            await cut.Find(".show-older").ClickAsync(new());
            await cut.WaitForAssertionAsync(() => Assert.True(Rows(cut).Count > shown), Wait);
        }
        Assert.Equal(total, Rows(cut).Count);
        Assert.Equal(total, Rows(cut).Select(r => r.GetAttribute("data-message-id")).Distinct().Count());
    }

    [Fact]
    public async Task AFolderThatFitsOnOnePageHasNoShowOlderButton()
    {
        await SignInAsync(Demo.John);
        Render<MudPopoverProvider>();

        var cut = Render<MessagesPage>();

        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(Rows(cut)), Wait);
        Assert.Empty(cut.FindAll(".show-older"));
    }

    [Fact]
    public async Task AMessageInTheUrlOpensItsConversationEvenBeyondTheFirstPage()
    {
        var ids = await SmithReceivesAsync(MessageService.PageSize + 3);
        var oldest = ids[0];
        await SignInAsync(Demo.Smith);
        Services.GetRequiredService<NavigationManager>().NavigateTo($"messages?message={oldest}");
        Render<MudPopoverProvider>();

        var cut = Render<MessagesPage>();

        await cut.WaitForAssertionAsync(() => Assert.Contains("Paging body 1", cut.Find("#message-thread").TextContent), Wait);
        Assert.Equal("Paging question 1", cut.Find(".thread-subject").TextContent);
        Assert.DoesNotContain(Rows(cut), r => r.GetAttribute("data-message-id") == oldest.ToString());
        Assert.True(await Database.DataSource.QueryOneAsync<bool>("SELECT is_read FROM messages WHERE id = @oldest", new { oldest }));
    }

    [Fact]
    public async Task AnotherUsersMessageInTheUrlOpensNothing()
    {
        var smithsMessage = (await SmithReceivesAsync(1))[0];
        await SignInAsync(Demo.Emily);
        Services.GetRequiredService<NavigationManager>().NavigateTo($"messages?message={smithsMessage}");
        Render<MudPopoverProvider>();

        var cut = Render<MessagesPage>();

        await cut.WaitForAssertionAsync(() => Assert.Contains("not found among yours", cut.Markup), Wait);
        Assert.Empty(cut.FindAll("#message-thread"));
        Assert.DoesNotContain("Paging body", cut.Markup);
        Assert.False(await Database.DataSource.QueryOneAsync<bool>("SELECT is_read FROM messages WHERE id = @smithsMessage", new { smithsMessage }));
    }
}
