using System.Text.Json;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Patient.Appointments;
using MediConnect.Portal.Features.Patient.Vitals;
using MediConnect.Portal.Features.Shared.Live;
using MediConnect.Portal.Features.Shared.Messages;
using MediConnect.Portal.Features.Shared.Notifications;
using MediConnect.Portal.Features.Shared.Vitals;
using MediConnect.Portal.Tests.Fixtures;
using Npgsql;

namespace MediConnect.Portal.Tests.Features.Shared.Live;

/// <summary>The triggers of 040_live_updates.sql and the listener that receives their events, on a real PostgreSQL.</summary>
public sealed class LiveEventListenerTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    RunningListener _live = null!;

    public async ValueTask InitializeAsync() => _live = await RunningListener.StartAsync(database);

    public ValueTask DisposeAsync() => _live.DisposeAsync();

    async Task<PatientAppointmentService> BookingAsJohnAsync()
    {
        var john = await database.SignedInAsync(Demo.John);
        return new PatientAppointmentService(database.DataSource, john, Demo.Audit(john), Demo.QuietWednesdayMorning());
    }

    const string InsertAppointmentSql = """
        INSERT INTO appointments (patient_id, doctor_id, appointment_date, appointment_time, reason)
        VALUES (@patient, @doctor, @day, @at, 'Written straight to the table')
        RETURNING id
        """;

    [Fact]
    public async Task ACommittedBookingReachesTheDoctorsCircuitWithItsIdsThenTheNotification()
    {
        using var smithsPage = await _live.CircuitAsync(Demo.Smith);
        var (john, smith) = (await database.UserIdAsync(Demo.John), await database.UserIdAsync(Demo.Smith));

        var id = await (await BookingAsJohnAsync()).BookAsync(
            new BookingRequest(smith, Demo.QuietWednesday.AddDays(1), new TimeOnly(9, 0), "Consultation", "Palpitations at night"));

        var seen = await smithsPage.UntilAsync(e => e.Topic == LiveTopic.Notification);
        var booked = Assert.Single(seen, e => e.Topic == LiveTopic.Appointment);
        Assert.Equal(("insert", id, john, smith), (booked.Op, booked.Id, booked.PatientId, booked.DoctorId));
        Assert.Equal(smith, seen[^1].UserId);
        Assert.True(_live.Hub.Status.EventsLastMinute >= 2);
    }

    [Fact]
    public async Task ARolledBackWritePublishesNothing()
    {
        using var smithsPage = await _live.CircuitAsync(Demo.Smith);
        var args = new { patient = await database.UserIdAsync(Demo.John), doctor = await database.UserIdAsync(Demo.Smith), day = Demo.QuietWednesday, at = new TimeSpan(11, 0, 0) };

        await Assert.ThrowsAsync<InvalidOperationException>(() => database.DataSource.InTransactionAsync(async tx =>
        {
            await tx.InsertReturningAsync<int>(InsertAppointmentSql, args);
            throw new InvalidOperationException("The write fails after its insert; the transaction rolls back.");
        }));
        var committed = await database.DataSource.InsertReturningAsync<int>(InsertAppointmentSql, args with { at = new TimeSpan(11, 30, 0) });

        var first = await smithsPage.NextAsync();
        Assert.Equal((LiveTopic.Appointment, committed), (first.Topic, first.Id));
    }

    [Fact]
    public async Task PayloadsCarryIdsOnlyNeverClinicalText()
    {
        var payloads = new List<string>();
        await using var raw = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
        await raw.OpenAsync();
        raw.Notification += (_, e) => { lock (payloads) payloads.Add(e.Payload); };
        await using (var listen = new NpgsqlCommand($"LISTEN {LiveEvent.Channel}", raw))
            await listen.ExecuteNonQueryAsync();

        // A booking, a critical reading (vital sign and doctors' notifications) and a message.
        var john = await database.SignedInAsync(Demo.John);
        var smith = await database.UserIdAsync(Demo.Smith);
        await (await BookingAsJohnAsync()).BookAsync(new BookingRequest(smith, Demo.QuietWednesday, new TimeOnly(14, 0), "Consultation", "Chest pain after climbing stairs"));
        await new VitalSignsRecorder(database.DataSource, john, Demo.Audit(john), Demo.CareTeam(database), TimeProvider.System)
            .RecordAsync(new VitalReadingInput(BloodPressure: new BloodPressure(190, 125), Notes: "Dizzy and short of breath"));
        await new MessageService(database.DataSource, john, Demo.Audit(john), Demo.CareTeam(database), new UnreadCounts())
            .SendAsync(new ComposeMessage { RecipientId = smith, Subject = "My blood pressure", Body = "It was 190/125 this morning." });

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Snapshot().Any(p => p.Contains("\"messages\"", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
            await raw.WaitAsync(TimeSpan.FromMilliseconds(200));

        string[] Snapshot() { lock (payloads) return [.. payloads]; }
        var all = Snapshot();
        Assert.Contains(all, p => p.Contains("\"vital_signs\"", StringComparison.Ordinal));
        Assert.Contains(all, p => p.Contains("\"appointments\"", StringComparison.Ordinal));
        Assert.Contains(all, p => p.Contains("\"messages\"", StringComparison.Ordinal));
        string[] ids = ["id", "patientId", "doctorId", "userId", "senderId", "recipientId"];
        foreach (var payload in all)
        {
            using var json = JsonDocument.Parse(payload);
            foreach (var field in json.RootElement.EnumerateObject())
            {
                if (field.Name is "table" or "op")
                    Assert.Matches("^[a-z_]+$", field.Value.GetString());
                else
                    Assert.True(ids.Contains(field.Name) && field.Value.ValueKind == JsonValueKind.Number, $"{field.Name} in {payload}");
            }
        }
    }

    [Fact]
    public async Task AfterLosingItsConnectionTheListenerReconnectsByItselfAndTellsEveryPageToReload()
    {
        using var smithsPage = await _live.CircuitAsync(Demo.Smith);

        await database.DataSource.ExecuteAsync("""
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND application_name LIKE '%(live updates)'
            """);

        Assert.Equal(LiveTopic.Reload, (await smithsPage.NextAsync()).Topic);
        Assert.Equal((LiveListenerState.Listening, 1), (_live.Hub.State, _live.Hub.Status.Reconnects));
        Assert.Contains(_live.Logger.Lines, line => line.StartsWith("Warning: Live updates lost their database connection", StringComparison.Ordinal));

        var args = new { patient = await database.UserIdAsync(Demo.John), doctor = await database.UserIdAsync(Demo.Smith), day = Demo.QuietWednesday, at = new TimeSpan(15, 0, 0) };
        var id = await database.DataSource.InsertReturningAsync<int>(InsertAppointmentSql, args);
        Assert.Equal(id, (await smithsPage.NextAsync()).Id);
    }

    [Fact]
    public async Task APayloadOfAnotherVersionIsIgnoredAndTheNextEventStillArrives()
    {
        using var smithsPage = await _live.CircuitAsync(Demo.Smith);

        await LiveEvent.PublishAsync(database.DataSource, new LiveEvent("lab_orders", "insert") { Id = 1 });
        await database.DataSource.ExecuteAsync("SELECT pg_notify(@channel, 'not json')", new { channel = LiveEvent.Channel });
        var smith = await database.UserIdAsync(Demo.Smith);
        await database.DataSource.ExecuteAsync(
            "INSERT INTO notifications (user_id, title, message, status) VALUES (@smith, 'Marker', 'Marker', 'sent')", new { smith });

        var first = await smithsPage.NextAsync();
        Assert.Equal((LiveTopic.Notification, smith), (first.Topic, first.UserId));
    }
}
