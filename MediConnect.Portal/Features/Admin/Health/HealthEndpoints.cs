using MediConnect.Portal.Data;
using MediConnect.Portal.Data.Migrations;
using MediConnect.Portal.Features.Admin.Cluster;
using MediConnect.Portal.Features.Shared.Live;

namespace MediConnect.Portal.Features.Admin.Health;

/// <summary>The database part of <c>/health</c>; <see cref="TimedOut"/> when it gave no answer within <see cref="HealthEndpoints.AnswerWithin"/>.</summary>
public sealed record DatabaseCheck(bool Reachable, double? LatencyMs, string? ServerVersion, bool TimedOut = false);
public sealed record MigrationHealth(bool Current, IReadOnlyList<string> Pending, IReadOnlyList<string> Changed);
/// <param name="Reads">Where lag-tolerant reads go (the standby, or the primary when it is away); never makes the portal unhealthy.</param>
/// <param name="Live">This instance's live-update listener; informational, it does not make the portal unhealthy.</param>
/// <param name="Outbox">The email and SMS outbox's depth and age; informational, it does not make the portal unhealthy.</param>
/// <param name="Cluster">The Patroni cluster's members, roles, timeline and lag (<c>PATRONI_REST_URLS</c>); null when not configured. Informational.</param>
public sealed record HealthReport(string Status, DatabaseCheck Database, MigrationHealth? Migrations, ReadSourceStatus? Reads, LiveCheck Live, OutboxDepth? Outbox,
    ClusterStatus? Cluster = null);
public sealed record LiveCheck(string State, int EventsLastMinute, int Reconnects);
/// <summary>What an anonymous caller (a load balancer) gets: the status and nothing about the server behind it.</summary>
public sealed record HealthStatus(string Status);

public static class HealthEndpoints
{
    /// <summary>
    /// <c>/health</c> answers within this, whatever the database does: a load balancer's check
    /// reads 503 instead of timing out on a database host that accepts connections and never answers.
    /// </summary>
    public static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(2);

    sealed record Checks(DatabaseCheck Database, MigrationHealth? Migrations, ReadSourceStatus? Reads, OutboxDepth? Outbox = null)
    {
        public static readonly Checks NoAnswer = new(new DatabaseCheck(false, null, null, TimedOut: true), null, null);
        public bool Healthy => Database.Reachable && Migrations?.Current == true;
    }

    /// <summary>
    /// <c>GET /health</c>: 200 when the database answers and every migration is applied, else 503;
    /// 503 too when the database gives no answer within <see cref="AnswerWithin"/>.
    /// A standby that is away does not count: the portal reads from the primary meanwhile.
    /// The details only for <see cref="HealthDetailsAccess"/>; everyone else gets the status alone.
    /// </summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", async (HttpContext context, HealthDetailsAccess access, DatabaseProbe probe, Npgsql.NpgsqlDataSource db, MigrationRunner migrations, LagTolerantReads reads, LiveEventHub live, DatabaseCluster cluster, ILogger<HealthReport> logger, CancellationToken ct) =>
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
            bounded.CancelAfter(AnswerWithin);
            Checks checks;
            try
            {
                // WaitAsync as well as the token: a driver call that ignores the token cannot hold the answer either.
                checks = await CheckAsync(probe, db, migrations, reads, logger, bounded.Token).WaitAsync(bounded.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                checks = Checks.NoAnswer;
            }
            if (!checks.Healthy && bounded.IsCancellationRequested && !ct.IsCancellationRequested)
                checks = Checks.NoAnswer;
            if (checks.Database.TimedOut)
                logger.LogWarning("Health check: the database gave no answer within {Seconds} s; answered 503", AnswerWithin.TotalSeconds);

            var status = checks.Healthy ? "healthy" : "unhealthy";
            var statusCode = checks.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
            if (!access.Allows(context))
                return Results.Json(new HealthStatus(status), statusCode: statusCode);
            var listener = live.Status;
            var liveCheck = new LiveCheck(listener.State.ToString().ToLowerInvariant(), listener.EventsLastMinute, listener.Reconnects);
            var clusterStatus = cluster.Configured ? await cluster.ReadAsync(ct) : null;
            return Results.Json(new HealthReport(status, checks.Database, checks.Migrations, checks.Reads, liveCheck, checks.Outbox, clusterStatus), statusCode: statusCode);
        }).AllowAnonymous().DisableAntiforgery();
        return app;
    }

    static async Task<Checks> CheckAsync(DatabaseProbe probe, Npgsql.NpgsqlDataSource db, MigrationRunner migrations, LagTolerantReads reads, ILogger logger, CancellationToken ct)
    {
        var connection = await probe.TestConnectionAsync(ct);
        var database = new DatabaseCheck(connection.Reachable, connection.Reachable ? Math.Round(connection.LatencyMs, 2) : null, connection.ServerVersion);
        if (!connection.Reachable)
            return new Checks(database, null, null);
        try
        {
            var statuses = await migrations.GetStatusAsync(ct);
            var pending = statuses.Where(s => s.State == MigrationState.Pending).Select(s => s.Name).ToList();
            var changed = statuses.Where(s => s.State == MigrationState.Changed).Select(s => s.Name).ToList();
            return new Checks(database, new MigrationHealth(pending.Count == 0 && changed.Count == 0, pending, changed), await reads.DescribeAsync(ct),
                await OutboxAsync(db, logger, ct));
        }
        catch (Exception e) when (e is MigrationException or Npgsql.NpgsqlException)
        {
            logger.LogWarning("Health check could not read the migration status: {Error}", e.Message);
            return new Checks(database, null, null);
        }
    }

    static async Task<OutboxDepth?> OutboxAsync(Npgsql.NpgsqlDataSource db, ILogger logger, CancellationToken ct)
    {
        try
        {
            return await OutboxDepth.ReadAsync(db, ct);
        }
        catch (Npgsql.PostgresException e)
        {
            logger.LogWarning("Health check could not read the outbox: {Error}", e.MessageText);
            return null;
        }
    }
}
