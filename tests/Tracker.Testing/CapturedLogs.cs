using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Tracker.Testing;

/// <summary>Keeps what servers under test log, so tests can check an error was logged.</summary>
public static class CapturedLogs
{
    public static ConcurrentQueue<(LogLevel Level, string Category, string Message, Exception? Exception)> Entries { get; } = new();

    public static ILoggerProvider Provider { get; } = new CaptureProvider();

    private sealed class CaptureProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CaptureLogger(categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class CaptureLogger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                Entries.Enqueue((logLevel, category, formatter(state, exception), exception));
            }
        }
    }
}
