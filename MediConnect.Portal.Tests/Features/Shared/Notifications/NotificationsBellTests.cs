using Bunit;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Notifications;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace MediConnect.Portal.Tests.Features.Shared.Notifications;

public sealed class NotificationsBellTests(TestDatabase database) : DatabaseComponentTest(database), IClassFixture<TestDatabase>
{
    [Fact]
    public async Task TheBellShowsUnreadNotificationsAndLinksToThem()
    {
        var user = await SignInAsync(Demo.Smith);
        var unread = await Database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM notifications WHERE user_id = @Id AND type = 'in_app' AND read_at IS NULL", new { user.User!.Id });

        var cut = Render<NotificationsBell>();

        await cut.WaitForAssertionAsync(() => Assert.Contains($"{unread} unread notifications", cut.Markup));
        Assert.Equal("/notifications", cut.Find("a").GetAttribute("href"));

        await Services.GetRequiredService<NotificationService>().MarkAllReadAsync();
        await cut.WaitForAssertionAsync(() => Assert.DoesNotContain("unread notifications", cut.Markup));
    }
}
