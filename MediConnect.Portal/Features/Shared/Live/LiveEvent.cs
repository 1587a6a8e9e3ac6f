using System.Text.Json;
using System.Text.Json.Serialization;
using MediConnect.Portal.Data;
using Npgsql;

namespace MediConnect.Portal.Features.Shared.Live;

/// <summary>What an event is about: the kind of row that changed, a migration run's progress, or "reload everything".</summary>
public enum LiveTopic { Appointment, Prescription, MedicalRecord, VitalSign, Message, Notification, Session, User, Migration, Reload }

/// <summary>
/// One change, as published on <see cref="Channel"/>: the table, the operation and ids, never
/// clinical text. Rows publish from the triggers of <c>040_live_updates.sql</c>, inside their
/// transaction; migration progress publishes from <see cref="PublishAsync"/>. People are named by
/// <c>users.id</c>.
/// </summary>
public sealed record LiveEvent(string Table, string Op)
{
    public const string Channel = "mediconnect_live";

    /// <summary>The table of migration runs' progress events (<c>Op</c> is run_started, file_started, file_applied, file_failed or run_finished).</summary>
    public const string MigrationsTable = "schema_migrations";

    /// <summary>Sent by the listener to every page after it reconnected: events may have been missed, reload.</summary>
    public static readonly LiveEvent Reload = new("*", "reload");

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The changed row's id.</summary>
    public int? Id { get; init; }

    /// <summary>The patient the row belongs to (appointments, prescriptions, medical records, vital signs).</summary>
    public int? PatientId { get; init; }

    /// <summary>The doctor of an appointment, prescription or medical record.</summary>
    public int? DoctorId { get; init; }

    /// <summary>The owner of a notification or session, or the user row itself.</summary>
    public int? UserId { get; init; }

    public int? SenderId { get; init; }
    public int? RecipientId { get; init; }

    /// <summary>Migration progress: the file, the run it belongs to, and how long the file took.</summary>
    public string? File { get; init; }
    public string? Run { get; init; }
    public int? DurationMs { get; init; }

    [JsonIgnore]
    public LiveTopic? Topic => Table switch
    {
        "appointments" => LiveTopic.Appointment,
        "prescriptions" => LiveTopic.Prescription,
        "medical_records" => LiveTopic.MedicalRecord,
        "vital_signs" => LiveTopic.VitalSign,
        "vital_sign_acknowledgements" => LiveTopic.VitalSign, // a reading's flag changed (080_reading_acknowledgement.sql)
        "messages" => LiveTopic.Message,
        "notifications" => LiveTopic.Notification,
        "sessions" => LiveTopic.Session,
        "users" => LiveTopic.User,
        MigrationsTable => LiveTopic.Migration,
        "*" => LiveTopic.Reload,
        _ => null,
    };

    public bool IsInsert => Op == "insert";

    /// <summary>Reads a payload; false when it is malformed or of a table this version does not know (another version of the portal may run beside this one).</summary>
    public static bool TryParse(string payload, out LiveEvent liveEvent)
    {
        liveEvent = null!;
        try
        {
            if (JsonSerializer.Deserialize<LiveEvent>(payload, Json) is not { Topic: not null } parsed)
                return false;
            liveEvent = parsed;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public string ToPayload() => JsonSerializer.Serialize(this, Json);

    /// <summary>
    /// Publishes an event that is no row change (a migration run's progress) at once, outside
    /// any transaction. Row changes publish from their triggers instead.
    /// </summary>
    public static Task PublishAsync(NpgsqlDataSource db, LiveEvent liveEvent, CancellationToken ct = default) =>
        db.ExecuteAsync("SELECT pg_notify(@channel, @payload)", new { channel = Channel, payload = liveEvent.ToPayload() }, ct);
}

/// <summary>The events that reached one page since its last call, in order.</summary>
public sealed record LiveBatch(IReadOnlyList<LiveEvent> Events)
{
    /// <summary>The listener reconnected: anything may have changed, reload everything.</summary>
    public bool Reload => Events.Any(e => e.Topic == LiveTopic.Reload);

    /// <summary>The ids of the changed rows of one topic.</summary>
    public IReadOnlySet<int> Ids(LiveTopic topic) =>
        Events.Where(e => e.Topic == topic && e.Id is not null).Select(e => e.Id!.Value).ToHashSet();
}
