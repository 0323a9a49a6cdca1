namespace Tracker.Cli;

/// <summary>A call that conflicts with the event's state, found before making it (e.g. finishing a finished deployment); exit code 6.</summary>
internal sealed class ConflictException(string message) : Exception(message);
