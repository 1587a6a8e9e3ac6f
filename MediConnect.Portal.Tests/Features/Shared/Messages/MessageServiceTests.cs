using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Messages;
using MediConnect.Portal.Features.Shared.Notifications;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;

namespace MediConnect.Portal.Tests.Features.Shared.Messages;

public sealed class MessageServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    async Task<MessageService> AsAsync(string email)
    {
        var user = await database.SignedInAsync(email);
        return new MessageService(database.DataSource, user, Demo.Audit(user), Demo.CareTeam(database), new UnreadCounts());
    }

    static ComposeMessage To(int recipientId, string subject = "Question", string body = "Hello doctor", string priority = "normal") =>
        new() { RecipientId = recipientId, Subject = subject, Body = body, Priority = priority };

    [Fact]
    public async Task APatientWritesToTheirDoctorAndTheDoctorReceivesIt()
    {
        var john = await AsAsync(Demo.John);
        var smith = await AsAsync(Demo.Smith);
        var smithId = await database.UserIdAsync(Demo.Smith);
        var unreadBefore = await smith.UnreadCountAsync();

        var id = await john.SendAsync(To(smithId, "Dizziness", "I felt dizzy this morning.", "high"));

        var received = Assert.Single((await smith.InboxAsync()).Messages, m => m.Id == id);
        Assert.Equal("John Doe", received.SenderName);
        Assert.Equal("high", received.Priority);
        Assert.False(received.IsRead);
        Assert.Equal(unreadBefore + 1, await smith.UnreadCountAsync());
        Assert.Contains((await john.SentAsync()).Messages, m => m.Id == id);
        Assert.Equal(1L, await database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM notifications WHERE user_id = @smithId AND data->>'messageId' = @id", new { smithId, id = id.ToString() }));
    }

    [Fact]
    public async Task APatientCannotWriteToADoctorWithoutACareRelationship()
    {
        var john = await AsAsync(Demo.John);
        var patel = await database.UserIdAsync(Demo.Patel);

        var error = await Assert.ThrowsAsync<AccessDeniedException>(() => john.SendAsync(To(patel)));

        Assert.Contains("doctors who care for you", error.Message);
        Assert.DoesNotContain(await john.RecipientsAsync(), r => r.Id == patel);
        Assert.Contains(await john.RecipientsAsync(), r => r.Name == "Dr. Sarah Smith");
    }

    [Fact]
    public async Task APatientCannotWriteToAnotherPatient()
    {
        var john = await AsAsync(Demo.John);

        await Assert.ThrowsAsync<AccessDeniedException>(async () => await john.SendAsync(To(await database.UserIdAsync(Demo.Emily))));
    }

    [Fact]
    public async Task ADoctorWritesOnlyToTheirOwnPatients()
    {
        var smith = await AsAsync(Demo.Smith);
        var john = await database.UserIdAsync(Demo.John);
        var emily = await database.UserIdAsync(Demo.Emily);

        await smith.SendAsync(To(john, "Lab results", "Your results look fine."));
        var error = await Assert.ThrowsAsync<AccessDeniedException>(() => smith.SendAsync(To(emily)));

        Assert.Contains("your own patients", error.Message);
        Assert.DoesNotContain(await smith.RecipientsAsync(), r => r.Id == emily);
    }

    [Fact]
    public async Task AMessageNeedsASubjectABodyAndAKnownPriority()
    {
        var john = await AsAsync(Demo.John);
        var smith = await database.UserIdAsync(Demo.Smith);

        var error = await Assert.ThrowsAsync<FieldValidationException>(() => john.SendAsync(To(smith, " ", "", "shouting")));

        Assert.Equal(["Subject", "Body", "Priority"], error.Errors.Keys);
    }

    [Fact]
    public async Task OpeningAReceivedMessageMarksItReadAndTheSenderSeesTheReceipt()
    {
        var john = await AsAsync(Demo.John);
        var smith = await AsAsync(Demo.Smith);
        var id = await john.SendAsync(To(await database.UserIdAsync(Demo.Smith), "Receipt test", "Did you read this?"));
        var unreadBefore = await smith.UnreadCountAsync();

        var opened = await smith.OpenAsync(id);

        Assert.True(opened.IsRead);
        Assert.NotNull(opened.ReadAt);
        Assert.Equal(unreadBefore - 1, await smith.UnreadCountAsync());
        var sent = Assert.Single((await john.SentAsync()).Messages, m => m.Id == id);
        Assert.True(sent.IsRead);
        Assert.Equal(opened.ReadAt, sent.ReadAt);
    }

    [Fact]
    public async Task TheSenderOpeningTheirOwnMessageDoesNotMarkItRead()
    {
        var john = await AsAsync(Demo.John);
        var id = await john.SendAsync(To(await database.UserIdAsync(Demo.Smith), "Not yet read", "Pending"));

        var opened = await john.OpenAsync(id);

        Assert.False(opened.IsRead);
        Assert.False(await database.DataSource.QueryOneAsync<bool>("SELECT is_read FROM messages WHERE id = @id", new { id }));
    }

    [Fact]
    public async Task NobodyElseCanOpenAMessage()
    {
        var emily = await AsAsync(Demo.Emily);
        var patel = await AsAsync(Demo.Patel);
        var johnsMessage = await database.DataSource.QueryOneAsync<int>(
            "SELECT m.id FROM messages m JOIN users u ON u.id = m.sender_id WHERE u.email = @John AND NOT m.is_read LIMIT 1", new { Demo.John });

        await Assert.ThrowsAsync<AccessDeniedException>(() => emily.OpenAsync(johnsMessage));
        await Assert.ThrowsAsync<AccessDeniedException>(() => patel.OpenAsync(johnsMessage));

        Assert.False(await database.DataSource.QueryOneAsync<bool>("SELECT is_read FROM messages WHERE id = @johnsMessage", new { johnsMessage }));
        await Assert.ThrowsAsync<AccessDeniedException>(() => emily.ConversationAsync(johnsMessage));
        Assert.DoesNotContain((await emily.InboxAsync()).Messages, m => m.Id == johnsMessage);
        Assert.DoesNotContain((await emily.SentAsync()).Messages, m => m.Id == johnsMessage);
    }

    [Fact]
    public async Task RepliesJoinTheirThreadBySubject()
    {
        var john = await AsAsync(Demo.John);
        var reply = Assert.Single((await john.InboxAsync()).Messages, m => m.Subject == "RE: Dry cough since starting lisinopril?");

        var cough = await john.ConversationAsync(reply.Id);

        Assert.Equal("Dry cough since starting lisinopril?", cough.Subject);
        Assert.Equal(["Dry cough since starting lisinopril?", "RE: Dry cough since starting lisinopril?"], cough.Messages.Select(m => m.Subject));
        Assert.Equal("Dr. Sarah Smith", cough.OtherPartyName);
        Assert.Equal(1, cough.UnreadCount);
    }

    [Fact]
    public async Task AnAdminCannotSendMessages()
    {
        var admin = await AsAsync(Demo.Admin);

        await Assert.ThrowsAsync<AccessDeniedException>(async () => await admin.SendAsync(To(await database.UserIdAsync(Demo.Smith))));
    }
}
