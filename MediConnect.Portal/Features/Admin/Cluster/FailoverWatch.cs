using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Notifications;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Admin.Cluster;

/// <summary>
/// Watches the Patroni cluster (when <c>PATRONI_REST_URLS</c> is set) and records each new leader
/// timeline once, whichever instance sees it first: a row in <c>database_failovers</c>, an audit row
/// <c>database_failover</c> and a notice in every active admin's bell, in one transaction. The first
/// timeline seen is where watching begins, not a failover.
/// </summary>
public sealed class FailoverWatch(DatabaseCluster cluster, NpgsqlDataSource db, TimeProvider time, ILogger<FailoverWatch> logger) : BackgroundService
{
    static readonly TimeSpan Every = TimeSpan.FromSeconds(2);
    int _recorded;

    const string RecordSql = """
        INSERT INTO database_failovers (timeline, leader) VALUES (@Timeline, @Leader)
        ON CONFLICT (timeline) DO NOTHING
        """;

    const string PreviousSql = """
        SELECT leader FROM database_failovers WHERE timeline < @Timeline ORDER BY timeline DESC LIMIT 1
        """;

    const string AdminsSql = """
        SELECT id FROM users WHERE role = 'admin' AND is_active
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!cluster.Configured)
            return;
        using var timer = new PeriodicTimer(Every, time);
        do
        {
            try
            {
                if ((await cluster.ReadAsync(stoppingToken)).Leader is { Timeline: { } timeline } leader && timeline > _recorded)
                {
                    await RecordAsync(timeline, leader.Name, stoppingToken);
                    _recorded = timeline;
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Mid-failover the database refuses or is away: the next tick tries again. The watch never takes the portal down.
                logger.LogInformation("Failover watch could not record the cluster's timeline yet: {Error}", e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    Task RecordAsync(int timeline, string leader, CancellationToken ct) => db.InTransactionAsync(async tx =>
    {
        if (await tx.ExecuteAsync(RecordSql, new { Timeline = timeline, Leader = leader }) == 0)
            return; // another instance recorded it
        var previous = await tx.QueryOneAsync<string>(PreviousSql, new { Timeline = timeline });
        if (previous is null)
            return; // the first timeline seen: watching begins
        logger.LogWarning("Database failover: {Leader} leads timeline {Timeline} (was {Previous})", leader, timeline, previous);
        await AuditLog.WriteAsync(tx, new AuditEntry(null, "database_failover", "database_cluster", leader,
            OldValues: new { leader = previous }, NewValues: new { leader, timeline }));
        foreach (var admin in await tx.QueryListAsync<int>(AdminsSql))
            await InAppNotification.SendAsync(tx, admin, "Database failover",
                $"The database cluster has a new leader, {leader} (timeline {timeline}); it was {previous}. See Admin → Database health.",
                new { timeline }, time.GetUtcNow());
    }, ct: ct);
}
