using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>
/// Every event an in-process portal logs, as an operator would read it: register it with
/// <see cref="AddTo"/> in <see cref="PortalFactory"/>'s services (the portal's Serilog reads sinks registered as services).
/// </summary>
public sealed class PortalLog : ILogEventSink
{
    readonly List<LogEvent> _events = [];

    /// <summary>
    /// The Error and Fatal lines, rendered; but the request log's, which <see cref="Requests"/> reads by path
    /// (a test that provokes a 500 on purpose still gets its request line at Error).
    /// </summary>
    public IReadOnlyList<string> Errors
    {
        get { lock (_events) return [.. _events.Where(e => e.Level >= LogEventLevel.Error && !IsRequestLog(e)).Select(Line)]; }
    }

    /// <summary>The request log's lines for <paramref name="path"/>: level and status code.</summary>
    public IReadOnlyList<(LogEventLevel Level, string Status)> Requests(string path)
    {
        lock (_events)
            return [.. _events.Where(e => IsRequestLog(e) && e.Properties.TryGetValue("RequestPath", out var p) && p.ToString() == $"\"{path}\"")
                .Select(e => (e.Level, e.Properties["StatusCode"].ToString()))];
    }

    static bool IsRequestLog(LogEvent e) =>
        e.Properties.TryGetValue("SourceContext", out var source) && source.ToString() == "\"Serilog.AspNetCore.RequestLoggingMiddleware\"";

    static string Line(LogEvent e) =>
        $"{(e.Properties.TryGetValue("RequestPath", out var path) ? path.ToString() : "")} {e.RenderMessage()[..Math.Min(120, e.RenderMessage().Length)]} {e.Exception?.GetType().Name}";

    public void AddTo(IServiceCollection services) => services.AddSingleton<ILogEventSink>(this);

    public void Emit(LogEvent logEvent)
    {
        lock (_events) _events.Add(logEvent);
    }
}
