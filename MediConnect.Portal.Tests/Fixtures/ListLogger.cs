using Microsoft.Extensions.Logging;

namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>Keeps every formatted log line, so a test can read what an operator would see.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get { lock (_lines) return [.. _lines]; }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_lines) _lines.Add($"{logLevel}: {formatter(state, exception)}");
    }
}
