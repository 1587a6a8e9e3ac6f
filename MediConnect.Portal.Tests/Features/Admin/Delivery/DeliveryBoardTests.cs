using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Admin.Delivery;
using MediConnect.Portal.Features.Shared.Notifications.Delivery;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediConnect.Portal.Tests.Features.Admin.Delivery;

/// <summary>The admin's delivery page's service: what it lists and hides, retry and cancel, and that only admins reach it.</summary>
public sealed class DeliveryBoardTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    static readonly INoticeSender[] SmsOnly =
        [new SmsSender(new SmsSettings(new Uri("http://127.0.0.1:9"), "AC1", "token", "+15550100000", null), new HttpClient(), NullLogger<SmsSender>.Instance)];

    async Task<DeliveryBoard> AsAsync(string email)
    {
        var user = await database.SignedInAsync(email);
        return new DeliveryBoard(database.DataSource, user, Demo.Audit(user), SmsOnly);
    }

    /// <summary>An outgoing notice of John's, as the outbox holds it.</summary>
    async Task<int> QueueAsync(string status, string type = "sms", string recipient = "+15550102030", string? error = null, int attempts = 0) =>
        await database.DataSource.InsertReturningAsync<int>("""
            INSERT INTO notifications (user_id, type, kind, recipient, title, message, status, attempts, error_message, send_after)
            SELECT id, @type, 'appointment_reminder', @recipient, 'Appointment reminder', 'Secret body: see https://portal/x and code 424242', @status, @attempts, @error, now()
            FROM users WHERE email = @john
            RETURNING id
            """, new { type, recipient, status, attempts, error, john = Demo.John });

    [Fact]
    public async Task TheListShowsMaskedRecipientsTitleKindAttemptsAndTheServersAnswerButNoBody()
    {
        var failed = await QueueAsync("failed", error: "400 (error 21211) The 'To' number is not a valid phone number.", attempts: 1);
        var email = await QueueAsync("pending", "email", "john.doe@example.com");
        var board = await AsAsync(Demo.Admin);

        var page = await board.ListAsync(new DeliveryQuery());
        var failedOnly = await board.ListAsync(new DeliveryQuery(Status: "failed"));

        var row = page.Rows.Single(r => r.Id == failed);
        Assert.Equal(("+1******2030", "Appointment reminder", "appointment_reminder", 1), (row.Recipient, row.Title, row.Kind, row.Attempts));
        Assert.Equal("400 (error 21211) The 'To' number is not a valid phone number.", row.ServerAnswer);
        Assert.Equal("j***@example.com", page.Rows.Single(r => r.Id == email).Recipient);
        Assert.DoesNotContain(page.Rows, r => r.ToString().Contains("424242", StringComparison.Ordinal) || r.ToString().Contains("Secret", StringComparison.Ordinal));
        Assert.All(failedOnly.Rows, r => Assert.Equal("failed", r.Status));
        Assert.Equal((false, true), await board.ChannelsAsync()); // no email sender registered here, SMS configured
    }

    [Fact]
    public async Task PagesGoOlderByKeysetAndAreBounded()
    {
        for (var i = 0; i < 5; i++)
            await QueueAsync("cancelled");
        var board = await AsAsync(Demo.Admin);

        var first = await board.ListAsync(new DeliveryQuery(Status: "cancelled", PageSize: 2));
        var second = await board.ListAsync(new DeliveryQuery(Status: "cancelled", Before: first.Older, PageSize: 2));
        var huge = await board.ListAsync(new DeliveryQuery(PageSize: 100_000));

        Assert.Equal(2, first.Rows.Count);
        Assert.Equal(2, second.Rows.Count);
        Assert.True(second.Rows[0].Id < first.Rows[^1].Id);
        Assert.Empty(first.Rows.Select(r => r.Id).Intersect(second.Rows.Select(r => r.Id)));
        Assert.True(huge.Rows.Count <= DeliveryBoard.MaxPageSize);
    }

    [Fact]
    public async Task RetryPutsAFailedNoticeBackInTheQueueKeepingItsAttemptsAndCancelStopsAPendingOne()
    {
        var failed = await QueueAsync("failed", error: "503 try later", attempts: 4);
        var pending = await QueueAsync("pending");
        var board = await AsAsync(Demo.Admin);

        await board.RetryAsync(failed);
        await board.CancelAsync(pending);
        var retryAgain = await Assert.ThrowsAsync<BusinessRuleException>(() => board.RetryAsync(failed));
        var cancelAgain = await Assert.ThrowsAsync<BusinessRuleException>(() => board.CancelAsync(pending));

        var retried = await database.DataSource.QueryOneAsync<(string Status, int Attempts, bool DueNow)>(
            "SELECT status, attempts, send_after <= now() FROM notifications WHERE id = @failed", new { failed });
        Assert.Equal(("pending", 4, true), retried);
        Assert.Equal("cancelled", await database.DataSource.QueryOneAsync<string>("SELECT status FROM notifications WHERE id = @pending", new { pending }));
        Assert.Contains("only a failed notice can be retried", retryAgain.Message);
        Assert.Contains("cannot be cancelled", cancelAgain.Message);
        Assert.Equal(1L, await database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action = 'notification_retry' AND entity_id = @id", new { id = failed.ToString() }));
        Assert.Equal(1L, await database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action = 'notification_cancel' AND entity_id = @id", new { id = pending.ToString() }));
    }

    [Fact]
    public async Task ANoticeBeingSentCannotBeCancelled()
    {
        var pending = await QueueAsync("pending");
        await database.DataSource.ExecuteAsync(
            "UPDATE notifications SET claimed_by = 'instance-a', claimed_until = now() + interval '1 minute' WHERE id = @pending", new { pending });
        var board = await AsAsync(Demo.Admin);

        await Assert.ThrowsAsync<BusinessRuleException>(() => board.CancelAsync(pending));

        Assert.Equal("pending", await database.DataSource.QueryOneAsync<string>("SELECT status FROM notifications WHERE id = @pending", new { pending }));
    }

    [Theory]
    [InlineData(Demo.Smith)]
    [InlineData(Demo.John)]
    [InlineData("")]
    public async Task NonAdminsCannotListRetryOrCancelAndChangeNothing(string email)
    {
        var failed = await QueueAsync("failed", error: "400 bad");
        var pending = await QueueAsync("pending");
        var caller = email == "" ? new TestCurrentUser(null) : await database.SignedInAsync(email);
        var board = new DeliveryBoard(database.DataSource, caller, Demo.Audit(caller), SmsOnly);

        await Assert.ThrowsAsync<AccessDeniedException>(() => board.ListAsync(new DeliveryQuery()));
        await Assert.ThrowsAsync<AccessDeniedException>(() => board.ChannelsAsync());
        await Assert.ThrowsAsync<AccessDeniedException>(() => board.DepthAsync());
        await Assert.ThrowsAsync<AccessDeniedException>(() => board.RetryAsync(failed));
        await Assert.ThrowsAsync<AccessDeniedException>(() => board.CancelAsync(pending));

        Assert.Equal(["failed", "pending"], await database.DataSource.QueryListAsync<string>(
            "SELECT status FROM notifications WHERE id = ANY(@ids) ORDER BY id", new { ids = new[] { failed, pending } }));
    }

    [Fact]
    public async Task TheDepthCountsPendingTheOldestDueAgeAndFailuresOfTheLastDay()
    {
        var board = await AsAsync(Demo.Admin);
        var before = await board.DepthAsync();
        var old = await QueueAsync("pending");
        await database.DataSource.ExecuteAsync("UPDATE notifications SET send_after = now() - interval '2 hours' WHERE id = @old", new { old });
        var later = await QueueAsync("pending");
        await database.DataSource.ExecuteAsync("UPDATE notifications SET send_after = now() + interval '1 day' WHERE id = @later", new { later });
        await QueueAsync("failed");

        var depth = await board.DepthAsync();

        Assert.Equal(before.Pending + 2, depth.Pending);
        Assert.Equal(before.FailedLast24Hours + 1, depth.FailedLast24Hours);
        Assert.InRange(depth.OldestDueSeconds ?? 0, 7200, 7200 + 3600);
    }
}
