using System.Diagnostics;
using System.Globalization;
using MediConnect.Portal.Data;
using MediConnect.Portal.Tests.Fixtures;
using Npgsql;

namespace MediConnect.Portal.Tests.Benchmarks;

/// <summary>
/// Measures (never asserts) outbox throughput: notices per second from queued rows to messages
/// accepted by a real SMTP server (python3-aiosmtpd on loopback), with three workers of their own
/// data source, as three portal instances would run them. Skipped unless MEDICONNECT_BENCH=1
/// (see bench.sh); the figures go to the test output and to MEDICONNECT_BENCH_OUT.
/// </summary>
public sealed class OutboxBenchmark
{
    const int Notices = 2_000;

    [Fact]
    public async Task MeasureOutboxThroughputWithThreeInstances()
    {
        Assert.SkipUnless(Environment.GetEnvironmentVariable("MEDICONNECT_BENCH") == "1", "Benchmark: run ./bench.sh outbox (MEDICONNECT_BENCH=1).");
        await using var smtp = new SmtpServer();
        await smtp.InitializeAsync();
        await using var database = new TestDatabase();
        await database.InitializeAsync();
        await using var delivery = new NoticeHarness(database, smtp.Settings, TimeProvider.System);
        var userId = await database.UserIdAsync(Demo.John);
        await database.DataSource.InTransactionAsync(async tx =>
        {
            for (var i = 0; i < Notices; i++)
                await delivery.Queue.NewMessageAsync(tx, userId, "Dr. Sarah Smith", i + 1);
        });

        var sources = Enumerable.Range(1, 3).Select(_ => NpgsqlDataSource.Create(database.ConnectionString)).ToList();
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(sources.Select((source, i) => Task.Run(async () =>
        {
            var worker = delivery.Worker($"bench-{i + 1}", source);
            while (await worker.RunOnceAsync() > 0)
            {
            }
        })));
        watch.Stop();
        foreach (var source in sources)
            await source.DisposeAsync();

        var sent = await database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM notifications WHERE type = 'email' AND status = 'sent'");
        var text = string.Create(CultureInfo.InvariantCulture,
            $"Outbox: {Notices:N0} email notices, 3 workers (own data sources), SMTP python3-aiosmtpd on loopback, 2-core machine: {sent:N0} sent, {smtp.Count:N0} arrived in {watch.Elapsed.TotalSeconds:F1} s = {sent / watch.Elapsed.TotalSeconds:F0} notices/s\n");
        TestContext.Current.SendDiagnosticMessage(text);
        await File.AppendAllTextAsync(Environment.GetEnvironmentVariable("MEDICONNECT_BENCH_OUT") ?? "/tmp/mediconnect-bench.txt", text);
    }
}
