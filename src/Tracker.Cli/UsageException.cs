namespace Tracker.Cli;

/// <summary>A command line that parsed but cannot be used, e.g. a malformed URL; exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
