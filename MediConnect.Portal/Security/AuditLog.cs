using System.Text.Json;
using MediConnect.Portal.Data;
using Npgsql;

namespace MediConnect.Portal.Security;

/// <summary>One row of <c>audit_log</c>. Old and new values are serialised to JSON; never put a password or hash in them.</summary>
public sealed record AuditEntry(
    int? UserId,
    string Action,
    string? EntityType = null,
    string? EntityId = null,
    object? OldValues = null,
    object? NewValues = null,
    string? IpAddress = null,
    string? UserAgent = null);

/// <summary>
/// Writes audit rows. A write and its audit row go in the same transaction (pass the
/// <see cref="DbTransactionScope"/>), so a failed write leaves no audit row and an audited
/// write cannot lose its row.
/// <para>
/// No clinical value enters <c>audit_log</c> (HIPAA's minimum-necessary standard): admins read the
/// log, and admins do not read clinical content. A write of clinical content (a vital reading, a
/// record, a prescription, a message, visit notes, reasons) records who, what, which record and
/// the names of the fields it wrote or changed (<see cref="Written"/>, <see cref="Changed"/>),
/// beside non-clinical values such as ids and status transitions. The content itself stays in
/// its own table, behind the clinicians' access rule. The admin's views also hide any value of
/// rows written before this rule (<c>AuditRedaction</c>): the table is append-only, so they stay.
/// </para>
/// </summary>
public sealed class AuditLog(ICurrentUser currentUser)
{
    /// <summary>The names (camelCase) of the properties of <paramref name="values"/> that hold a value: the fields a write filled.</summary>
    public static string[] Written(object values) =>
        [.. Properties(values).Where(p => p.Value is not null).Select(p => p.Name)];

    /// <summary>The names (camelCase) of the properties both objects have whose values differ: the fields an update changed.</summary>
    public static string[] Changed(object before, object after)
    {
        var old = Properties(before).ToDictionary(p => p.Name, p => p.Value);
        return [.. Properties(after).Where(p => old.TryGetValue(p.Name, out var was) && !Equals(p.Value, was)).Select(p => p.Name)];
    }

    /// <summary>Each property's name in camelCase and its value, blank text as null.</summary>
    static IEnumerable<(string Name, object? Value)> Properties(object values) =>
        values.GetType().GetProperties().Select(p => (Json.PropertyNamingPolicy!.ConvertName(p.Name), p.GetValue(values) is string s && string.IsNullOrWhiteSpace(s) ? null : p.GetValue(values)));

    const string InsertSql = """
        INSERT INTO audit_log (user_id, action, entity_type, entity_id, old_values, new_values, ip_address, user_agent)
        VALUES (@UserId, @Action, @EntityType, @EntityId, @OldValues::jsonb, @NewValues::jsonb, @IpAddress, @UserAgent)
        """;

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Records <paramref name="action"/> by the signed-in user, inside <paramref name="tx"/>.</summary>
    public async Task WriteAsync(DbTransactionScope tx, string action, string entityType, object? entityId, object? oldValues = null, object? newValues = null)
    {
        var user = await currentUser.GetAsync();
        await WriteAsync(tx, new AuditEntry(user?.Id, action, entityType, entityId?.ToString(), oldValues, newValues, user?.IpAddress, user?.UserAgent));
    }

    public static Task WriteAsync(DbTransactionScope tx, AuditEntry entry) => tx.ExecuteAsync(InsertSql, Parameters(entry));

    /// <summary>For events outside any write (sign-in, a chart view, a refused access).</summary>
    public static Task WriteAsync(NpgsqlDataSource dataSource, AuditEntry entry) => dataSource.ExecuteAsync(InsertSql, Parameters(entry));

    /// <summary>Records an event by the signed-in user that has no write of its own (a chart view, a refused access).</summary>
    public async Task WriteAsync(NpgsqlDataSource dataSource, string action, string entityType, object? entityId, object? details = null)
    {
        var user = await currentUser.GetAsync();
        await WriteAsync(dataSource, new AuditEntry(user?.Id, action, entityType, entityId?.ToString(), null, details, user?.IpAddress, user?.UserAgent));
    }

    static object Parameters(AuditEntry entry) => new
    {
        entry.UserId,
        entry.Action,
        entry.EntityType,
        entry.EntityId,
        OldValues = entry.OldValues is null ? null : JsonSerializer.Serialize(entry.OldValues, Json),
        NewValues = entry.NewValues is null ? null : JsonSerializer.Serialize(entry.NewValues, Json),
        entry.IpAddress,
        entry.UserAgent,
    };
}
