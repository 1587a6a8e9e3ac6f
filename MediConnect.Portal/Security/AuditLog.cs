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
/// </summary>
public sealed class AuditLog(ICurrentUser currentUser)
{
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
