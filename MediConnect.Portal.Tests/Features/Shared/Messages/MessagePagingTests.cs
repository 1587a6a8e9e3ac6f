using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Messages;
using MediConnect.Portal.Features.Shared.Notifications;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;

namespace MediConnect.Portal.Tests.Features.Shared.Messages;

/// <summary>
/// Inbox and Sent page by (created_at, id) in the database, and a conversation loads by the id of
/// any of its messages: a long history reads one page and one thread at a time.
/// </summary>
public sealed class MessagePagingTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    // More than two pages, newer than the demo messages, three at a time sharing one created_at,
    // so a page boundary falls inside a tie (rows 24, 25 and 26 share their time).
    const int Count = 2 * MessageService.PageSize + 10;

    async Task<MessageService> AsAsync(string email)
    {
        var user = await database.SignedInAsync(email);
        return new MessageService(database.DataSource, user, Demo.Audit(user), Demo.CareTeam(database), new UnreadCounts());
    }

    /// <summary>Inserts <see cref="Count"/> messages John → Smith, newer than any before ("… question 0" newest); returns their ids, newest first.</summary>
    async Task<IReadOnlyList<int>> JohnWritesALotAsync(string tag)
    {
        var ids = await database.DataSource.QueryListAsync<int>("""
            INSERT INTO messages (sender_id, recipient_id, subject, body, created_at)
            SELECT j.id, s.id, @tag || ' question ' || i, 'Body of ' || @tag || ' question ' || i,
                   (SELECT max(created_at) FROM messages) + interval '1 hour' - (i / 3) * interval '1 minute'
            FROM generate_series(0, @last) AS i,
                 (SELECT id FROM users WHERE email = @John) j, (SELECT id FROM users WHERE email = @Smith) s
            ORDER BY i DESC
            RETURNING id
            """, new { tag, last = Count - 1, Demo.John, Demo.Smith });
        return [.. ids.Reverse()];
    }

    static async Task<(List<int> Ids, List<int> PageSizes)> PageThroughAsync(Func<MessageCursor?, Task<MessagePage>> load)
    {
        var (ids, sizes) = (new List<int>(), new List<int>());
        MessageCursor? after = null;
        do
        {
            var page = await load(after);
            ids.AddRange(page.Messages.Select(m => m.Id));
            sizes.Add(page.Messages.Count);
            after = page.Next;
        } while (after is not null);
        return (ids, sizes);
    }

    [Fact]
    public async Task TheInboxPagesNewestFirstWithoutGapsOrRepeatsAcrossEqualTimes()
    {
        var inserted = await JohnWritesALotAsync("inbox");
        var smith = await AsAsync(Demo.Smith);
        var smithId = await database.UserIdAsync(Demo.Smith);
        var everything = await database.DataSource.QueryListAsync<int>(
            "SELECT id FROM messages WHERE recipient_id = @smithId ORDER BY created_at DESC, id DESC", new { smithId });

        var first = await smith.InboxAsync();
        var (ids, sizes) = await PageThroughAsync(after => smith.InboxAsync(after));

        Assert.Equal(MessageService.PageSize, first.Messages.Count);
        Assert.True(first.HasOlder);
        Assert.Equal(inserted.Take(MessageService.PageSize), first.Messages.Select(m => m.Id));
        Assert.Equal(first.Messages[^1].CreatedAt, (await smith.InboxAsync(first.Next)).Messages[0].CreatedAt); // the boundary splits a tie
        Assert.Equal(everything, ids);
        Assert.All(sizes, size => Assert.InRange(size, 1, MessageService.PageSize));
        Assert.All((await smith.InboxAsync()).Messages, m => Assert.False(m.Outgoing));
    }

    [Fact]
    public async Task SentPagesTheSameWayAndTheUnreadCountIsTheDatabases()
    {
        var inserted = await JohnWritesALotAsync("sent");
        var john = await AsAsync(Demo.John);
        var smith = await AsAsync(Demo.Smith);
        var johnId = await database.UserIdAsync(Demo.John);
        var everything = await database.DataSource.QueryListAsync<int>(
            "SELECT id FROM messages WHERE sender_id = @johnId ORDER BY created_at DESC, id DESC", new { johnId });

        var (ids, _) = await PageThroughAsync(after => john.SentAsync(after));

        Assert.Equal(everything, ids);
        Assert.Equal(inserted, ids.Take(Count));
        Assert.All((await john.SentAsync()).Messages, m => Assert.True(m.Outgoing));
        Assert.Equal(await database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM messages m JOIN users u ON u.id = m.recipient_id WHERE u.email = @Smith AND NOT m.is_read", new { Demo.Smith }),
            await smith.UnreadCountAsync());
    }

    [Fact]
    public async Task NobodyReachesAnothersMessagesByPagingOrById()
    {
        var inserted = await JohnWritesALotAsync("private");
        var smith = await AsAsync(Demo.Smith);
        var emily = await AsAsync(Demo.Emily);
        var emilyId = await database.UserIdAsync(Demo.Emily);
        var smithsCursor = (await smith.InboxAsync()).Next;

        var (inbox, _) = await PageThroughAsync(after => emily.InboxAsync(after));
        var (sent, _) = await PageThroughAsync(after => emily.SentAsync(after));
        var fromSmithsCursor = await emily.InboxAsync(smithsCursor);

        Assert.NotEmpty(inbox.Concat(sent));
        Assert.Empty(inbox.Concat(sent).Intersect(inserted));
        Assert.All(fromSmithsCursor.Messages, m => Assert.Equal(emilyId, m.RecipientId));
        await Assert.ThrowsAsync<AccessDeniedException>(() => emily.ConversationAsync(inserted[^1]));
        await Assert.ThrowsAsync<AccessDeniedException>(() => emily.OpenConversationAsync(inserted[^1]));
        Assert.False(await database.DataSource.QueryOneAsync<bool>("SELECT is_read FROM messages WHERE id = @id", new { id = inserted[^1] }));
    }

    [Fact]
    public async Task AnOldMessageOpensItsWholeThreadRepliesIncludedAndReadsIt()
    {
        var inserted = await JohnWritesALotAsync("thread");
        var smith = await AsAsync(Demo.Smith);
        var john = await AsAsync(Demo.John);
        var oldest = inserted[^1];
        var subject = $"thread question {Count - 1}";
        var reply = await smith.SendAsync(new ComposeMessage { RecipientId = await database.UserIdAsync(Demo.John), Subject = $"RE: {subject}", Body = "Reply one" });
        var again = await john.SendAsync(new ComposeMessage { RecipientId = await database.UserIdAsync(Demo.Smith), Subject = $" re: Re:{subject.ToUpperInvariant()} ", Body = "Reply two" });
        await database.DataSource.ExecuteAsync( // the test's messages are dated ahead: the replies follow the question
            "UPDATE messages SET created_at = (SELECT created_at FROM messages WHERE id = @oldest) + (id - @reply + 1) * interval '1 second' WHERE id IN (@reply, @again)",
            new { oldest, reply, again });
        Assert.DoesNotContain((await smith.InboxAsync()).Messages, m => m.Id == oldest);

        var (thread, markedRead) = await smith.OpenConversationAsync(oldest);

        Assert.True(markedRead);
        Assert.Equal(subject, thread.Subject);
        Assert.Equal("John Doe", thread.OtherPartyName);
        Assert.Equal([oldest, reply, again], thread.Messages.Select(m => m.Id));
        Assert.Equal(0, thread.UnreadCount);
        Assert.Equal(2L, await database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM messages WHERE id = ANY(@ids) AND is_read", new { ids = new[] { oldest, again } }));
        Assert.Equal(2L, await database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action = 'message_read' AND entity_id = ANY(@ids)",
            new { ids = new[] { oldest.ToString(), again.ToString() } }));
        Assert.Equal([oldest, reply, again], (await john.ConversationAsync(reply)).Messages.Select(m => m.Id));
        Assert.False((await smith.OpenConversationAsync(again)).MarkedRead);
    }
}
