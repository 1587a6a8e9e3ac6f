using System.Globalization;

namespace MediConnect.Portal.Features.Admin.Audit;

/// <summary>
/// The audit page's filters. <see cref="User"/> matches the email or name of the user who acted;
/// <see cref="From"/> and <see cref="To"/> are whole days (UTC), both included. Page is 0-based.
/// <see cref="BreakGlass"/> keeps only break-glass entries (grants, reads under them, reviews).
/// </summary>
public sealed record AuditQuery(
    string? User = null,
    string? Action = null,
    string? EntityType = null,
    DateOnly? From = null,
    DateOnly? To = null,
    int Page = 0,
    int PageSize = 25,
    bool BreakGlass = false);

public sealed record AuditRow(
    long Id,
    DateTime CreatedAt,
    int? UserId,
    string? UserEmail,
    string Action,
    string? EntityType,
    string? EntityId,
    string? IpAddress);

/// <summary>A page of entries and how many match: exact up to the <c>CappedCount</c> limit, else the limit with <see cref="MoreThanTotal"/>.</summary>
public sealed record AuditResultPage(IReadOnlyList<AuditRow> Items, int Total, bool MoreThanTotal = false);

/// <summary>One audit row with everything, as the detail view and the CSV export show it.</summary>
public sealed record AuditDetail(
    long Id,
    DateTime CreatedAt,
    int? UserId,
    string? UserEmail,
    string Action,
    string? EntityType,
    string? EntityId,
    string? OldValues,
    string? NewValues,
    string? IpAddress,
    string? UserAgent);

/// <summary>The columns of the CSV export, in order.</summary>
public static class AuditCsvRow
{
    public static readonly string[] Header =
        ["id", "created_at_utc", "user_id", "user_email", "action", "entity_type", "entity_id", "old_values", "new_values", "ip_address", "user_agent"];

    public static string?[] Fields(AuditDetail d) =>
    [
        d.Id.ToString(CultureInfo.InvariantCulture),
        DateTime.SpecifyKind(d.CreatedAt, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        d.UserId?.ToString(CultureInfo.InvariantCulture),
        d.UserEmail, d.Action, d.EntityType, d.EntityId, d.OldValues, d.NewValues, d.IpAddress, d.UserAgent,
    ];
}
