using System.Diagnostics;
using Npgsql;

namespace MediConnect.Portal.Benchmarks.Pages;

/// <summary>
/// Records the commands one page load sends, in order, through Npgsql's own tracing (nothing in the
/// portal changes): the portal's services over a data source of the recorder's own.
/// </summary>
public sealed class CommandRecorder : IAsyncDisposable
{
    readonly List<CapturedCommand> _commands = [];
    readonly NpgsqlDataSource _dataSource;
    readonly ActivityListener _listener;
    readonly IServiceProvider _services;

    public CommandRecorder(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString) { Name = "bench-recorder" };
        builder.ConfigureTracing(tracing => tracing.ConfigureCommandEnrichmentCallback((_, command) =>
        {
            lock (_commands)
                _commands.Add(new CapturedCommand(command.CommandText,
                    [.. command.Parameters.Select(p => (p.ParameterName.TrimStart('@', ':'), p.Value is DBNull ? null : p.Value))]));
        }));
        _dataSource = builder.Build();
        // Npgsql creates its activities (and so calls the callback) only while someone listens.
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
        };
        ActivitySource.AddActivityListener(_listener);
        _services = PortalServices.Build(connectionString, _dataSource);
    }

    /// <summary>Runs <paramref name="page"/> once for <paramref name="ids"/> and returns the commands it sent, in order.</summary>
    public async Task<IReadOnlyList<CapturedCommand>> RecordAsync(PageLoad page, Shape shape, PageIds ids)
    {
        await using var scope = _services.SignedIn(shape.User(page.Role, ids));
        if (page.Prepare is { } prepare)
            await prepare(scope.ServiceProvider);
        lock (_commands)
            _commands.Clear();
        await page.Load(scope.ServiceProvider, ids);
        lock (_commands)
            return [.. _commands];
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _dataSource.DisposeAsync();
    }
}
