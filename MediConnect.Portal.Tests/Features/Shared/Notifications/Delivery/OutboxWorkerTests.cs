using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Notifications;
using MediConnect.Portal.Features.Shared.Notifications.Delivery;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace MediConnect.Portal.Tests.Features.Shared.Notifications.Delivery;

/// <summary>
/// The outbox against a real SMTP server that misbehaves: refused connections, silence, 4xx then
/// 2xx, 5xx, an instance killed mid-send; and 1,000 notices across three workers, each delivered
/// exactly once or failed with the server's answer.
/// </summary>
public sealed class OutboxWorkerTests(TestDatabase database, SmtpServer smtp) : IClassFixture<TestDatabase>, IClassFixture<SmtpServer>
{
    readonly FakeTimeProvider _time = Demo.QuietWednesdayMorning();

    /// <summary>A new patient whose verified email is <paramref name="localPart"/> and a unique tag @clinic.test; returns their id and address.</summary>
    async Task<(int UserId, string Address)> RecipientAsync(string localPart)
    {
        var userId = await database.UserIdAsync(await database.NewUserAsync("patient"));
        var address = $"{localPart}.{Guid.NewGuid():N}@clinic.test";
        await database.DataSource.ExecuteAsync("""
            INSERT INTO notification_contacts (user_id, channel, address, verified_at) VALUES (@userId, 'email', @address, now())
            """, new { userId, address });
        return (userId, address);
    }

    async Task<int> QueueAsync(NoticeHarness delivery, int userId, int count = 1)
    {
        await database.DataSource.InTransactionAsync(async tx =>
        {
            for (var i = 0; i < count; i++)
                await delivery.Queue.NewMessageAsync(tx, userId, "Dr. Sarah Smith", messageId: i + 1);
        });
        return await database.DataSource.QueryOneAsync<int>("SELECT max(id) FROM notifications WHERE user_id = @userId", new { userId });
    }

    Task<Row> RowAsync(int id) => database.DataSource.QueryOneAsync<Row>(
        "SELECT status, attempts, error_message, send_after, claimed_by FROM notifications WHERE id = @id", new { id })!;

    sealed record Row(string Status, int Attempts, string? ErrorMessage, DateTime SendAfter, string? ClaimedBy);

    Dictionary<string, string?> Settings(int port, params (string Key, string Value)[] more)
    {
        var settings = smtp.Settings;
        settings["SMTP_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in more)
            settings[key] = value;
        return settings;
    }

    [Fact]
    public async Task ARefusedConnectionIsTriedAgainLaterAndThenDelivered()
    {
        var (userId, address) = await RecipientAsync("refused");
        await using (var down = new NoticeHarness(database, Settings(SmtpServer.FreePort()), _time))
        {
            var id = await QueueAsync(down, userId);
            await down.Worker().RunOnceAsync();

            var row = await RowAsync(id);
            Assert.Equal(("pending", 1), (row.Status, row.Attempts));
            Assert.Contains("refused", row.ErrorMessage, StringComparison.OrdinalIgnoreCase);
            Assert.True(row.SendAfter.ToUniversalTime() > _time.GetUtcNow().UtcDateTime, "the retry waits for its back-off");
            Assert.Null(row.ClaimedBy);
        }

        await using var up = new NoticeHarness(database, smtp.Settings, _time);
        var worker = up.Worker();
        await NoticeHarness.DrainAsync(worker);
        Assert.Empty(smtp.To(address)); // not before its back-off
        _time.Advance(TimeSpan.FromMinutes(1));
        await NoticeHarness.DrainAsync(worker);
        Assert.Single(await smtp.WaitForAsync(address));
    }

    [Fact]
    public async Task AServerThatNeverAnswersIsATemporaryFailure()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var (userId, _) = await RecipientAsync("silent");
        await using var delivery = new NoticeHarness(database, Settings(((IPEndPoint)silent.LocalEndpoint).Port, ("SMTP_TIMEOUT_SECONDS", "1")), _time);
        var id = await QueueAsync(delivery, userId);

        await delivery.Worker().RunOnceAsync();

        var row = await RowAsync(id);
        Assert.Equal("pending", row.Status);
        Assert.Contains("did not answer within 1 s", row.ErrorMessage);
    }

    [Fact]
    public async Task A4xxAnswerIsRetriedAndTheNextAttemptIsDelivered()
    {
        var (userId, address) = await RecipientAsync("grey+later");
        await using var delivery = new NoticeHarness(database, smtp.Settings, _time);
        var id = await QueueAsync(delivery, userId);
        var worker = delivery.Worker();

        await worker.RunOnceAsync();
        var first = await RowAsync(id);
        Assert.Equal("pending", first.Status);
        Assert.StartsWith("451", first.ErrorMessage);

        _time.Advance(TimeSpan.FromMinutes(1));
        await NoticeHarness.DrainAsync(worker);

        Assert.Single(await smtp.WaitForAsync(address));
        var sent = await RowAsync(id);
        Assert.Equal(("sent", 2), (sent.Status, sent.Attempts));
    }

    [Fact]
    public async Task A5xxAnswerFailsAtOnceWithTheServersAnswer()
    {
        var (userId, address) = await RecipientAsync("gone+reject");
        await using var delivery = new NoticeHarness(database, smtp.Settings, _time);
        var id = await QueueAsync(delivery, userId);

        await delivery.Worker().RunOnceAsync();

        var row = await RowAsync(id);
        Assert.Equal(("failed", 1), (row.Status, row.Attempts));
        Assert.StartsWith("550", row.ErrorMessage);
        Assert.Contains("mailbox unavailable", row.ErrorMessage);
        Assert.Empty(smtp.To(address));
    }

    [Fact]
    public async Task ANoticeOfAnInstanceKilledMidSendIsTakenAgainWhenItsLeaseEnds()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var (userId, address) = await RecipientAsync("lease");
        int id;
        await using (var dying = new NoticeHarness(database, Settings(((IPEndPoint)silent.LocalEndpoint).Port), _time))
        {
            id = await QueueAsync(dying, userId);
            using var kill = new CancellationTokenSource();
            var sending = dying.Worker("dying").RunOnceAsync(kill.Token);
            await Wait.UntilAsync(() => silent.Pending(), "the dying instance to connect to the mail server");
            kill.Cancel(); // the instance stops mid-send: its claim stays behind
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        }
        Assert.Equal("dying", (await RowAsync(id)).ClaimedBy);

        await using var delivery = new NoticeHarness(database, smtp.Settings, _time);
        var survivor = delivery.Worker("survivor");
        await NoticeHarness.DrainAsync(survivor);
        Assert.Empty(smtp.To(address)); // still leased to the dying instance

        _time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        await NoticeHarness.DrainAsync(survivor);

        Assert.Single(await smtp.WaitForAsync(address));
        var row = await RowAsync(id);
        Assert.Equal(("sent", 2), (row.Status, row.Attempts));
    }

    [Fact]
    public async Task AThousandNoticesAcrossThreeInstancesAreEachDeliveredExactlyOnceOrFailedWithTheReason()
    {
        var (good, goodAddress) = await RecipientAsync("many");
        var (bad, _) = await RecipientAsync("many+reject");
        await using var delivery = new NoticeHarness(database, smtp.Settings, _time);
        await QueueAsync(delivery, good, 950);
        await QueueAsync(delivery, bad, 50);
        var ids = await database.DataSource.QueryListAsync<int>(
            "SELECT id FROM notifications WHERE user_id = ANY (@users) AND type = 'email'", new { users = new[] { good, bad } });
        Assert.Equal(1000, ids.Count);

        var sources = Enumerable.Range(1, 3).Select(_ => NpgsqlDataSource.Create(database.ConnectionString)).ToList();
        try
        {
            await Task.WhenAll(sources.Select((source, i) => Task.Run(async () =>
            {
                var worker = delivery.Worker($"instance-{i + 1}", source);
                while (await worker.RunOnceAsync() > 0 || await PendingAsync() > 0)
                {
                }
            })));
        }
        finally
        {
            foreach (var source in sources)
                await source.DisposeAsync();
        }

        var delivered = smtp.To(goodAddress).Select(m => int.Parse(m.Headers["X-MediConnect-Notice"]!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(950, delivered.Count);
        Assert.Equal(950, delivered.Distinct().Count());
        var rows = await database.DataSource.QueryListAsync<(int Id, string Status, string? ErrorMessage, string? SentBy)>(
            "SELECT id, status, error_message, claimed_by FROM notifications WHERE id = ANY (@ids)", new { ids = ids.ToArray() });
        Assert.Equal(delivered.Order(), rows.Where(r => r.Status == "sent").Select(r => r.Id).Order());
        Assert.All(rows.Where(r => r.Status != "sent"), r => Assert.Equal("failed", r.Status));
        Assert.Equal(50, rows.Count(r => r.Status == "failed" && r.ErrorMessage!.StartsWith("550", StringComparison.Ordinal)));

        Task<long> PendingAsync() => database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM notifications WHERE id = ANY (@ids) AND status = 'pending'", new { ids = ids.ToArray() });
    }

    [Fact]
    public async Task QueuingAndSendingANoticeDoesNotWakeTheRecipientsOpenPages()
    {
        var (userId, address) = await RecipientAsync("quiet");
        await using var delivery = new NoticeHarness(database, smtp.Settings, _time);
        await using var listener = await database.DataSource.OpenConnectionAsync();
        var events = new List<string>();
        listener.Notification += (_, e) => events.Add(e.Payload);
        await using (var listen = new NpgsqlCommand("LISTEN mediconnect_live", listener))
            await listen.ExecuteNonQueryAsync();

        await QueueAsync(delivery, userId);
        await NoticeHarness.DrainAsync(delivery.Worker());
        await smtp.WaitForAsync(address);
        var bell = await database.DataSource.InTransactionAsync(async tx =>
        {
            await InAppNotification.SendAsync(tx, userId, "Bell", "An in-app notice", new { });
            return await tx.QueryOneAsync<int>("SELECT max(id) FROM notifications WHERE user_id = @userId AND type = 'in_app'", new { userId });
        });
        while (!events.Any(e => e.Contains("\"notifications\"", StringComparison.Ordinal)))
            Assert.True(await listener.WaitAsync(TimeSpan.FromSeconds(30)), "no live event of the in-app notification arrived");

        // The in-app row's insert is the first (and only) notifications event: the email row's insert, claim and send published none.
        var first = JsonDocument.Parse(events.First(e => e.Contains("\"notifications\"", StringComparison.Ordinal))).RootElement;
        Assert.Equal(bell, first.GetProperty("id").GetInt32());
    }
}
