using Bunit;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Messages;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace MediConnect.Portal.Tests.Features.Shared.Messages;

public sealed class UnreadMessagesBadgeTests(TestDatabase database) : DatabaseComponentTest(database), IClassFixture<TestDatabase>
{
    [Fact]
    public async Task TheMessagesBadgeShowsTheUnreadCountAndDropsWhenAMessageIsOpened()
    {
        var user = await SignInAsync(Demo.John);
        var unread = await Database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM messages WHERE recipient_id = @Id AND NOT is_read", new { user.User!.Id });
        var cut = Render<UnreadMessagesBadge>();
        await cut.WaitForAssertionAsync(() => Assert.Equal(unread.ToString(), cut.Find(".unread-messages-badge").TextContent.Trim()));

        var messages = Services.GetRequiredService<MessageService>();
        var first = (await messages.InboxAsync()).Messages.First(m => !m.IsRead);
        await messages.OpenAsync(first.Id);

        await cut.WaitForAssertionAsync(() => Assert.Equal((unread - 1).ToString(), cut.Find(".unread-messages-badge").TextContent.Trim()));
    }
}
