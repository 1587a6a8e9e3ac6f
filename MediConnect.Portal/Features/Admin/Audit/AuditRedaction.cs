using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediConnect.Portal.Features.Admin.Audit;

/// <summary>
/// What an admin sees of an entry's old and new values. Admins do not read clinical content
/// (HIPAA's minimum-necessary standard): the portal no longer writes clinical values into the
/// audit log (see <c>AuditLog</c>), but rows written before stay as they are, because the table is
/// append-only by trigger. So for the entity types that hold clinical content, the admin's detail
/// view and CSV show each field's name and only the values that carry no clinical content (ids,
/// status, field lists, read flags, priority, when); every other value reads <see cref="Hidden"/>.
/// </summary>
public static class AuditRedaction
{
    public const string Hidden = "(clinical content, not shown)";

    static readonly HashSet<string> ClinicalEntityTypes =
    [
        "vital_signs", "medical_record", "medical_records", "prescription", "prescriptions",
        "messages", "appointment", "appointments", "users", "patient_problems", "patient_allergies",
    ];

    static readonly HashSet<string> PlainKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "patientId", "doctorId", "recipientId", "appointmentId", "messageId", "userId",
        "status", "isRead", "readAt", "priority", "date", "time", "durationMinutes", "type", "deviceSource",
        "written", "changed", "allergyWarningAcknowledged",
    };

    /// <summary><paramref name="json"/> as an admin may read it for an entry about <paramref name="entityType"/>.</summary>
    public static string? ForAdmin(string? entityType, string? json)
    {
        if (json is null || entityType is null || !ClinicalEntityTypes.Contains(entityType))
            return json;
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return JsonSerializer.Serialize(Hidden);
        }
        if (node is not JsonObject values)
            return JsonSerializer.Serialize(Hidden);
        foreach (var (key, value) in values.ToList())
            if (value is not null && !PlainKeys.Contains(key))
                values[key] = Hidden;
        return values.ToJsonString();
    }

    public static AuditDetail ForAdmin(AuditDetail entry) => entry with
    {
        OldValues = ForAdmin(entry.EntityType, entry.OldValues),
        NewValues = ForAdmin(entry.EntityType, entry.NewValues),
    };
}
