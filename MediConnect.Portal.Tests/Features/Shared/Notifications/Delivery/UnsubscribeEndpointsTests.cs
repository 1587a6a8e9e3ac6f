using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Notifications.Delivery;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace MediConnect.Portal.Tests.Features.Shared.Notifications.Delivery;

/// <summary>
/// The unsubscribe link of a delivered email, used as a mail client's one-click unsubscribe (RFC 8058)
/// and as a person clicking it, without signing in: that kind of email stops, nothing else does.
/// </summary>
public sealed class UnsubscribeEndpointsTests(TestDatabase database, SmtpServer smtp) : IClassFixture<TestDatabase>, IClassFixture<SmtpServer>
{
    [Fact]
    public async Task OneClickUnsubscribeTurnsOffThatKindOfEmailOnlyAndAGetChangesNothing()
    {
        await using var portal = new PortalFactory(database.ConnectionString, smtp.Settings);
        using var client = portal.CreateClient();
        var email = await database.NewUserAsync("patient");
        var userId = await database.UserIdAsync(email);
        var queue = portal.Services.GetRequiredService<NoticeQueue>();
        await database.DataSource.InTransactionAsync(tx => queue.NewMessageAsync(tx, userId, "Dr. Sarah Smith", 1));

        // The portal's own outbox worker sends it.
        var mail = Assert.Single(await smtp.WaitForAsync(email));
        Assert.Equal("You have a new message", mail.Subject);
        Assert.Contains("You have a new message from Dr. Sarah Smith. Sign in to the portal to read it.", mail.TextBody);
        var link = new Uri(mail.Headers["List-Unsubscribe"]!.Trim('<', '>'));
        Assert.Contains(link.ToString(), mail.TextBody);
        var local = link.PathAndQuery;

        var page = await client.GetAsync(local);
        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Stop emails about new message notices?", html);
        Assert.Contains("<form method=\"post\"", html);
        Assert.Equal(0L, await PreferencesAsync(userId));

        var answer = await client.PostAsync(local, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        Assert.Equal(System.Net.HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("you will no longer get emails about new message notices", await answer.Content.ReadAsStringAsync());

        var off = await database.DataSource.QueryListAsync<(string Kind, string Channel, bool Enabled)>(
            "SELECT kind, channel, enabled FROM notification_preferences WHERE user_id = @userId", new { userId });
        Assert.Equal([("new_message", "email", false)], off);
        Assert.Equal(1L, await database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action = 'notification_unsubscribe' AND user_id = @userId AND new_values ->> 'kind' = 'new_message'", new { userId }));

        var queued = await database.DataSource.InTransactionAsync(async tx =>
            (await queue.QueueAsync(tx, userId, NoticeKinds.NewMessage, "t", "m", new { }),
             await queue.QueueAsync(tx, userId, NoticeKinds.NewResult, "t", "m", new { })));
        Assert.Equal((0, 1), queued);
    }

    [Fact]
    public async Task AForgedTokenUnsubscribesNobody()
    {
        await using var portal = new PortalFactory(database.ConnectionString, smtp.Settings);
        using var client = portal.CreateClient();
        const string CountSql = "SELECT count(*) FROM notification_preferences";
        var before = await database.DataSource.QueryOneAsync<long>(CountSql);

        var answer = await client.PostAsync("/unsubscribe?token=CfDJ8forged", new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("This unsubscribe link is not valid", await answer.Content.ReadAsStringAsync());
        Assert.Equal(before, await database.DataSource.QueryOneAsync<long>(CountSql));
    }

    Task<long> PreferencesAsync(int userId) =>
        database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM notification_preferences WHERE user_id = @userId", new { userId });
}
