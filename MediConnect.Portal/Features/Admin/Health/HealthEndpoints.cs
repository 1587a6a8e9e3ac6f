using MediConnect.Portal.Data;
using MediConnect.Portal.Data.Migrations;
using MediConnect.Portal.Features.Shared.Live;

namespace MediConnect.Portal.Features.Admin.Health;

/// <summary>The database part of <c>/health</c>.</summary>
public sealed record DatabaseCheck(bool Reachable, double? LatencyMs, string? ServerVersion);
public sealed record MigrationHealth(bool Current, IReadOnlyList<string> Pending, IReadOnlyList<string> Changed);
/// <param name="Reads">Where lag-tolerant reads go (the standby, or the primary when it is away); never makes the portal unhealthy.</param>
/// <param name="Live">This instance's live-update listener; informational, it does not make the portal unhealthy.</param>
public sealed record HealthReport(string Status, DatabaseCheck Database, MigrationHealth? Migrations, ReadSourceStatus? Reads, LiveCheck Live);
public sealed record LiveCheck(string State, int EventsLastMinute, int Reconnects);
/// <summary>What an anonymous caller (a load balancer) gets: the status and nothing about the server behind it.</summary>
public sealed record HealthStatus(string Status);

public static class HealthEndpoints
{
    /// <summary>
    /// <c>GET /health</c>: 200 when the database answers and every migration is applied, else 503.
    /// A standby that is away does not count: the portal reads from the primary meanwhile.
    /// The details only for <see cref="HealthDetailsAccess"/>; everyone else gets the status alone.
    /// </summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", async (HttpContext context, HealthDetailsAccess access, DatabaseProbe probe, MigrationRunner migrations, LagTolerantReads reads, LiveEventHub live, ILogger<HealthReport> logger, CancellationToken ct) =>
        {
            var connection = await probe.TestConnectionAsync(ct);
            var database = new DatabaseCheck(connection.Reachable, connection.Reachable ? Math.Round(connection.LatencyMs, 2) : null, connection.ServerVersion);
            MigrationHealth? migrationHealth = null;
            ReadSourceStatus? readSource = null;
            if (connection.Reachable)
            {
                try
                {
                    var statuses = await migrations.GetStatusAsync(ct);
                    var pending = statuses.Where(s => s.State == MigrationState.Pending).Select(s => s.Name).ToList();
                    var changed = statuses.Where(s => s.State == MigrationState.Changed).Select(s => s.Name).ToList();
                    migrationHealth = new MigrationHealth(pending.Count == 0 && changed.Count == 0, pending, changed);
                    readSource = await reads.DescribeAsync(ct);
                }
                catch (Exception e) when (e is MigrationException or Npgsql.NpgsqlException)
                {
                    logger.LogWarning("Health check could not read the migration status: {Error}", e.Message);
                }
            }

            var healthy = connection.Reachable && migrationHealth?.Current == true;
            var statusCode = healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
            if (!access.Allows(context))
                return Results.Json(new HealthStatus(healthy ? "healthy" : "unhealthy"), statusCode: statusCode);
            var listener = live.Status;
            var liveCheck = new LiveCheck(listener.State.ToString().ToLowerInvariant(), listener.EventsLastMinute, listener.Reconnects);
            return Results.Json(new HealthReport(healthy ? "healthy" : "unhealthy", database, migrationHealth, readSource, liveCheck),
                statusCode: statusCode);
        }).AllowAnonymous().DisableAntiforgery();
        return app;
    }
}
