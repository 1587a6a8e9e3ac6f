using Bunit;
using MediConnect.Portal.Features.Shared.Messages;
using MediConnect.Portal.Features.Shared.Notifications;
using MediConnect.Portal.Tests.Fixtures;

namespace MediConnect.Portal.Tests.Features.Shared.Messages;

public sealed class MessageListTests(TestDatabase database) : DatabaseComponentTest(database), IClassFixture<TestDatabase>
{
    const string Html = "<b>bold</b> <script>alert('x')</script> <img src=x onerror=alert(1)>";

    async Task<(MessageService John, MessageItem Sent)> SendHtmlAsync()
    {
        var user = await SignInAsync(Demo.John);
        var john = new MessageService(Database.DataSource, user, Demo.Audit(user), Demo.CareTeam(Database), new UnreadCounts());
        var smith = await Database.UserIdAsync(Demo.Smith);
        var id = await john.SendAsync(new ComposeMessage { RecipientId = smith, Subject = "<i>Markup</i> test", Body = Html });
        return (john, (await john.SentAsync()).Messages.Single(m => m.Id == id));
    }

    [Fact]
    public async Task HtmlInAMessageIsShownAsTextInTheList()
    {
        var (_, sent) = await SendHtmlAsync();

        var cut = Render<MessageList>(p => p.Add(c => c.Messages, [sent]));

        Assert.Contains("&lt;b&gt;bold&lt;/b&gt;", cut.Markup);
        Assert.Contains("&lt;i&gt;Markup&lt;/i&gt; test", cut.Markup);
        Assert.DoesNotContain(cut.FindAll("b"), b => b.TextContent == "bold");
        Assert.Empty(cut.FindAll("script"));
        Assert.Empty(cut.FindAll("img"));
        Assert.Empty(cut.FindAll("i"));
    }

    [Fact]
    public async Task HtmlInAMessageIsShownAsTextInTheConversation()
    {
        var (john, sent) = await SendHtmlAsync();
        var thread = await john.ConversationAsync(sent.Id);

        var cut = Render<MessageThreadView>(p => p.Add(c => c.Thread, thread));

        Assert.Equal(Html, cut.Find(".message-body").TextContent);
        Assert.Empty(cut.Find(".message-body").Children);
        Assert.Empty(cut.FindAll("script"));
        Assert.Empty(cut.FindAll("img"));
    }

    [Fact]
    public async Task UnreadMessagesStandOutAndSentOnesShowTheirReadReceipt()
    {
        var user = await SignInAsync(Demo.John);
        var john = new MessageService(Database.DataSource, user, Demo.Audit(user), Demo.CareTeam(Database), new UnreadCounts());
        var mine = (await john.InboxAsync()).Messages.Concat((await john.SentAsync()).Messages).ToList();
        var unread = mine.First(m => !m.Outgoing && !m.IsRead);
        var readSent = mine.First(m => m.Outgoing && m.IsRead);
        var unreadSent = mine.First(m => m.Outgoing && !m.IsRead);
        MessageItem? opened = null;

        var cut = Render<MessageList>(p => p.Add(c => c.Messages, [unread, readSent, unreadSent]).Add(c => c.OnOpen, m => opened = m));

        Assert.Contains("unread", cut.Find($"[data-message-id='{unread.Id}']").ClassList);
        Assert.StartsWith("Read ", cut.Find($"[data-message-id='{readSent.Id}'] .read-receipt").TextContent.Trim());
        Assert.Equal("Not read yet", cut.Find($"[data-message-id='{unreadSent.Id}'] .read-receipt").TextContent.Trim());
        await cut.Find($"[data-message-id='{unread.Id}']").ClickAsync(new());
        Assert.Equal(unread.Id, opened?.Id);
    }
}
