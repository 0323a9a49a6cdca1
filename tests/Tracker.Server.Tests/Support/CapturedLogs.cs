using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Tracker.Server.Tests.Support;

/// <summary>A logger provider that keeps every entry of one host, for tests that check what was logged.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    /// <summary>Entries at Error or Critical that carry an exception: a stack trace in the log.</summary>
    public IReadOnlyList<LogEntry> ErrorsWithExceptions =>
        Entries.Where(e => e.Level >= LogLevel.Error && e.Exception is not null).ToList();

    /// <summary>How many entries there are now, to look at only the later ones with <see cref="ErrorsWithExceptionsSince"/>.</summary>
    public int Mark() => _entries.Count;

    /// <summary>The <see cref="ErrorsWithExceptions"/> logged after <paramref name="mark"/>.</summary>
    public IReadOnlyList<LogEntry> ErrorsWithExceptionsSince(int mark) =>
        Entries.Skip(mark).Where(e => e.Level >= LogLevel.Error && e.Exception is not null).ToList();

    public ILogger CreateLogger(string categoryName) => new CaptureLogger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class CaptureLogger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new LogEntry(logLevel, category, eventId, formatter(state, exception), exception));
    }
}

public sealed record LogEntry(LogLevel Level, string Category, EventId EventId, string Message, Exception? Exception)
{
    public override string ToString() => $"{Level} {Category}[{EventId.Id}]: {Message}{(Exception is null ? "" : $" ({Exception.GetType().Name}: {Exception.Message})")}";
}
