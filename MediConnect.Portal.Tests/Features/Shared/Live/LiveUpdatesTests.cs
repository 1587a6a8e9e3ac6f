using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Patient.Vitals;
using MediConnect.Portal.Features.Shared.Live;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediConnect.Portal.Tests.Features.Shared.Live;

/// <summary>One circuit's live updates: the access decision on the server, folding, subscribing and leaving.</summary>
public sealed class LiveUpdatesTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    RunningListener _live = null!;

    public async ValueTask InitializeAsync() => _live = await RunningListener.StartAsync(database);

    public ValueTask DisposeAsync() => _live.DisposeAsync();

    Task MarkerForAsync(int userId) => database.DataSource.ExecuteAsync(
        "INSERT INTO notifications (user_id, title, message, status) VALUES (@userId, 'Marker', 'Marker', 'sent')", new { userId });

    [Fact]
    public async Task ADoctorOutsideThePatientsCareTeamGetsNothingOfTheirCriticalReading()
    {
        using var smithsPage = await _live.CircuitAsync(Demo.Smith);
        using var patelsPage = await _live.CircuitAsync(Demo.Patel);
        using var emilysPage = await _live.CircuitAsync(Demo.Emily);
        var (john, patel, emily) = (await database.UserIdAsync(Demo.John), await database.UserIdAsync(Demo.Patel), await database.UserIdAsync(Demo.Emily));
        Assert.False(await Demo.CareTeam(database).AreLinkedAsync(patel, john));

        var johnUser = await database.SignedInAsync(Demo.John);
        var reading = await new VitalSignsRecorder(database.DataSource, johnUser, Demo.Audit(johnUser), Demo.CareTeam(database), TimeProvider.System)
            .RecordAsync(new VitalReadingInput(OxygenSaturation: 86));
        await MarkerForAsync(patel);
        await MarkerForAsync(emily);

        var smithSaw = await smithsPage.UntilAsync(e => e.Topic == LiveTopic.Notification);
        Assert.Contains(smithSaw, e => e.Topic == LiveTopic.VitalSign && e.Id == reading.Id && e.PatientId == john);
        foreach (var (page, person) in new[] { (patelsPage, patel), (emilysPage, emily) })
        {
            var first = await page.NextAsync();
            Assert.Equal((LiveTopic.Notification, person), (first.Topic, first.UserId)); // the reading never came before it
        }
    }

    [Fact]
    public async Task EventsArrivingWhileAPageReloadsAreFoldedIntoOneMoreCall()
    {
        var smith = (await database.SignedInAsync(Demo.Smith)).User!;
        using var circuit = new LiveUpdates(_live.Hub, new TestCurrentUser(smith), Demo.CareTeam(database), NullLogger<LiveUpdates>.Instance);
        var firstCallHolds = new TaskCompletionSource();
        var calls = new List<LiveBatch>();
        using var page = circuit.Subscribe([LiveTopic.Notification], async batch =>
        {
            lock (calls) calls.Add(batch);
            await firstCallHolds.Task;
        });

        for (var i = 1; i <= 6; i++)
            _live.Hub.Publish(new LiveEvent("notifications", "insert") { Id = i, UserId = smith.Id });
        await Wait.UntilAsync(() => { lock (calls) return calls.Count == 1; }, "the first call");
        await Wait.UntilAsync(() => circuit.SubscriptionCount == 1 && _live.Hub.Status.Circuits == 1, "the circuit to stay attached");
        firstCallHolds.SetResult();
        await Wait.UntilAsync(() => { lock (calls) return calls.Sum(c => c.Events.Count) == 6; }, "every event");

        Assert.True(calls.Count <= 2, $"{calls.Count} calls for 6 events");
        Assert.Equal([1, 2, 3, 4, 5, 6], calls.SelectMany(c => c.Events).Select(e => e.Id!.Value));
    }

    [Fact]
    public async Task ACircuitIsAttachedWhileAPageIsSubscribedAndAfterwardsHearsNothing()
    {
        var smith = (await database.SignedInAsync(Demo.Smith)).User!;
        using var circuit = new LiveUpdates(_live.Hub, new TestCurrentUser(smith), Demo.CareTeam(database), NullLogger<LiveUpdates>.Instance);
        var heard = 0;

        var first = circuit.Subscribe([LiveTopic.Notification], _ => { Interlocked.Increment(ref heard); return Task.CompletedTask; });
        var second = circuit.Subscribe([LiveTopic.Message], _ => Task.CompletedTask);
        Assert.Equal((1, 2), (_live.Hub.Status.Circuits, _live.Hub.Status.Subscriptions));
        first.Dispose();
        Assert.Equal((1, 1), (_live.Hub.Status.Circuits, _live.Hub.Status.Subscriptions));
        second.Dispose();
        second.Dispose();
        Assert.Equal((0, 0), (_live.Hub.Status.Circuits, _live.Hub.Status.Subscriptions));

        using var witness = await _live.CircuitAsync(Demo.Smith);
        await MarkerForAsync(smith.Id);
        await witness.NextAsync();
        Assert.Equal(0, heard);
    }
}
