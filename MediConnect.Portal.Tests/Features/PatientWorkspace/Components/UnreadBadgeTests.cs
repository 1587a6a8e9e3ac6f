using Bunit;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Messages;
using MediConnect.Portal.Features.Notifications;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace MediConnect.Portal.Tests.Features.PatientWorkspace.Components;

public sealed class UnreadBadgeTests(TestDatabase database) : PatientComponentTest(database), IClassFixture<TestDatabase>
{
    [Fact]
    public async Task TheMessagesBadgeShowsTheUnreadCountAndDropsWhenAMessageIsOpened()
    {
        var user = await SignInAsync(Demo.John);
        var unread = await Database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM messages WHERE recipient_id = @Id AND NOT is_read", new { user.User!.Id });
        var cut = Render<UnreadMessagesBadge>();
        cut.WaitForAssertion(() => Assert.Equal(unread.ToString(), cut.Find(".unread-messages-badge").TextContent.Trim()));

        var messages = Services.GetRequiredService<MessageService>();
        var first = (await messages.InboxAsync()).First(m => !m.IsRead);
        await messages.OpenAsync(first.Id);

        cut.WaitForAssertion(() => Assert.Equal((unread - 1).ToString(), cut.Find(".unread-messages-badge").TextContent.Trim()));
    }

    [Fact]
    public async Task TheBellShowsUnreadNotificationsAndLinksToThem()
    {
        var user = await SignInAsync(Demo.Smith);
        var unread = await Database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM notifications WHERE user_id = @Id AND type = 'in_app' AND read_at IS NULL", new { user.User!.Id });

        var cut = Render<NotificationsBell>();

        cut.WaitForAssertion(() => Assert.Contains($"{unread} unread notifications", cut.Markup));
        Assert.Equal("/notifications", cut.Find("a").GetAttribute("href"));

        await Services.GetRequiredService<NotificationService>().MarkAllReadAsync();
        cut.WaitForAssertion(() => Assert.DoesNotContain("unread notifications", cut.Markup));
    }
}
