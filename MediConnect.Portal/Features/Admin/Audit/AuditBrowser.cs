using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using Dapper;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Lists;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Admin.Audit;

/// <summary>
/// Reading the audit log: filtered, paged lists, one entry in full, and the CSV export streamed
/// row by row. There is no way to change or remove an entry (the table rejects it as well).
/// The lists may lag a moment (they come from the standby when there is one); one entry in full
/// and the export read the primary. Both show clinical entries' values as <see cref="AuditRedaction"/> allows.
/// The From and To days are days of the portal's time zone (<see cref="TimeProvider.LocalTimeZone"/>), the zone
/// every page shows times in, so an entry shown at 23:30 on the 7th is found by a filter on the 7th.
/// </summary>
public sealed class AuditBrowser(NpgsqlDataSource db, LagTolerantReads reads, ICurrentUser currentUser, AuditLog audit, TimeProvider time)
{
    // The user filter finds the matching users first (trigram indexes), then reads their rows
    // through audit_log_user_created_at_idx; as an array the ids become an index condition.
    const string FromSql = """
        FROM audit_log a
        LEFT JOIN users u ON u.id = a.user_id
        WHERE (@UserPattern::text IS NULL
               OR a.user_id = ANY (ARRAY(SELECT id FROM users WHERE email ILIKE @UserPattern ESCAPE '\' OR name ILIKE @UserPattern ESCAPE '\')))
          AND (@Action::text IS NULL OR a.action = @Action)
          AND (@EntityType::text IS NULL OR a.entity_type = @EntityType)
          AND (@FromUtc::timestamptz IS NULL OR a.created_at >= @FromUtc)
          AND (@ToUtc::timestamptz IS NULL OR a.created_at < @ToUtc)
          AND (NOT @BreakGlass OR a.action LIKE 'break\_glass\_%')
        """;

    const string DetailColumns = """
        SELECT a.id, a.created_at, a.user_id, u.email AS user_email, a.action, a.entity_type, a.entity_id,
               a.old_values::text AS old_values, a.new_values::text AS new_values, a.ip_address, a.user_agent
        """;

    public async Task<AuditResultPage> SearchAsync(AuditQuery query, CancellationToken ct = default)
    {
        await currentUser.RequireAsync(Roles.Admin);
        var args = Arguments(query);
        var (total, moreThanTotal) = CappedCount.Read(await reads.QueryOneAsync<long>(CappedCount.Sql(FromSql), args, ct));
        var items = await reads.QueryListAsync<AuditRow>($"""
            SELECT a.id, a.created_at, a.user_id, u.email AS user_email, a.action, a.entity_type, a.entity_id, a.ip_address
            {FromSql}
            ORDER BY a.created_at DESC, a.id DESC
            LIMIT @Take OFFSET @Skip
            """, args, ct);
        return new AuditResultPage(items, total, moreThanTotal);
    }

    public async Task<AuditDetail?> GetAsync(long id, CancellationToken ct = default)
    {
        await currentUser.RequireAsync(Roles.Admin);
        var entry = await db.QueryOneAsync<AuditDetail>($"{DetailColumns}\nFROM audit_log a LEFT JOIN users u ON u.id = a.user_id WHERE a.id = @id", new { id }, ct);
        return entry is null ? null : AuditRedaction.ForAdmin(entry);
    }

    /// <summary>The actions and entity types that occur, for the filter lists.</summary>
    public async Task<(IReadOnlyList<string> Actions, IReadOnlyList<string> EntityTypes)> GetFilterChoicesAsync(CancellationToken ct = default)
    {
        await currentUser.RequireAsync(Roles.Admin);
        var actions = await reads.QueryListAsync<string>(DistinctValuesSql("action"), ct: ct);
        var entities = await reads.QueryListAsync<string>(DistinctValuesSql("entity_type"), ct: ct);
        return (actions, entities);
    }

    /// <summary>
    /// The distinct values of an indexed column, in order, by hopping from one value to the next in
    /// its index: a few dozen index probes instead of a scan of millions of rows.
    /// </summary>
    static string DistinctValuesSql(string column) => $"""
        WITH RECURSIVE distinct_values (value) AS (
            (SELECT {column} FROM audit_log WHERE {column} IS NOT NULL ORDER BY {column} LIMIT 1)
            UNION ALL
            SELECT (SELECT a.{column} FROM audit_log a WHERE a.{column} > d.value ORDER BY a.{column} LIMIT 1)
            FROM distinct_values d
            WHERE d.value IS NOT NULL
        )
        SELECT value FROM distinct_values WHERE value IS NOT NULL
        """;

    /// <summary>
    /// Writes every row matching <paramref name="query"/> (paging ignored) as CSV to
    /// <paramref name="output"/>, reading them one at a time from an unbuffered query, so a large
    /// export never sits in memory. The export itself is audited first.
    /// </summary>
    public async Task ExportCsvAsync(AuditQuery query, Stream output, CancellationToken ct = default)
    {
        await currentUser.RequireAsync(Roles.Admin);
        await audit.WriteAsync(db, "audit_export", "audit_log", null, new
        {
            query.User, query.Action, query.EntityType, query.BreakGlass,
            From = query.From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            To = query.To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        });

        // RFC 4180: fields with commas, quotes or line breaks are quoted, quotes doubled. A cell starting
        // with = + - @ is escaped so a spreadsheet does not run it as a formula.
        await using var csv = CsvWriter.Create(output, new CsvWriterOptions { Injection = CsvInjection.Escape }, leaveOpen: true);
        csv.WriteHeader(AuditCsvRow.Header); // a complete record of its own

        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = connection.QueryUnbufferedAsync<AuditDetail>($"{DetailColumns}\n{FromSql}\nORDER BY a.created_at DESC, a.id DESC", Arguments(query));
        await foreach (var row in rows.WithCancellation(ct))
        {
            foreach (var field in AuditCsvRow.Fields(AuditRedaction.ForAdmin(row)))
                csv.WriteField(field);
            await csv.EndRecordAsync(ct); // writes to the response whenever the buffer fills
        }
        await csv.FlushAsync(ct);
    }

    object Arguments(AuditQuery query)
    {
        var pageSize = Math.Clamp(query.PageSize, 1, 200);
        return new
        {
            UserPattern = SearchText.LikePattern(query.User),
            Action = SearchText.Clean(query.Action),
            EntityType = SearchText.Clean(query.EntityType),
            FromUtc = query.From is { } from ? DayStart(from) : (DateTimeOffset?)null,
            ToUtc = query.To is { } to ? DayStart(to.AddDays(1)) : (DateTimeOffset?)null,
            query.BreakGlass,
            Take = pageSize,
            Skip = Math.Max(0, query.Page) * pageSize,
        };
    }

    /// <summary>The instant a day of the portal's time zone starts (on a daylight-saving gap, the first valid time after midnight).</summary>
    DateTimeOffset DayStart(DateOnly day)
    {
        var zone = time.LocalTimeZone;
        var midnight = day.ToDateTime(TimeOnly.MinValue);
        while (zone.IsInvalidTime(midnight))
            midnight = midnight.AddMinutes(30);
        return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight)).ToUniversalTime(); // Npgsql writes timestamptz from UTC only
    }

    /// <summary>Pretty-printed JSON for the detail view; the text as stored when it does not parse.</summary>
    public static string Indented(string? json)
    {
        if (string.IsNullOrEmpty(json))
            return "";
        try
        {
            using var document = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(document.RootElement, new JsonSerializerOptions { WriteIndented = true });
        }
        catch (JsonException)
        {
            return json;
        }
    }
}
