using MediConnect.Portal.Features.Shared.Notifications.Delivery;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>
/// The portal's notice delivery as <see cref="DeliverySetup"/> registers it (settings, queue, email
/// sender, workers), on a test database, sending to a real SMTP server, with the test's clock.
/// Workers are made on demand (each with its own name and, if asked, its own data source) and run
/// one batch at a time, so a test decides when they run.
/// </summary>
public sealed class NoticeHarness : IAsyncDisposable
{
    readonly ServiceProvider _services;

    public NoticeHarness(TestDatabase database, IReadOnlyDictionary<string, string?> settings, TimeProvider time)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddLocalization();
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddSingleton(time).AddSingleton(database.DataSource).AddNoticeDelivery(config);
        _services = services.BuildServiceProvider();
    }

    public IServiceProvider Services => _services;

    public NoticeQueue Queue => _services.GetRequiredService<NoticeQueue>();

    /// <summary>A worker named <paramref name="instance"/>, on <paramref name="dataSource"/> (the test database's by default).</summary>
    public OutboxWorker Worker(string instance = "test-worker", Npgsql.NpgsqlDataSource? dataSource = null) =>
        dataSource is null
            ? ActivatorUtilities.CreateInstance<OutboxWorker>(_services, instance)
            : ActivatorUtilities.CreateInstance<OutboxWorker>(_services, dataSource, instance);

    /// <summary>Runs batches until none is due.</summary>
    public static async Task DrainAsync(OutboxWorker worker)
    {
        while (await worker.RunOnceAsync() > 0)
        {
        }
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
