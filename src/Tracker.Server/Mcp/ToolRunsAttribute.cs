namespace Tracker.Server.Mcp;

/// <summary>
/// The EventService method a tool runs (SearchEvents, CreateEvent, ...), whose scope a caller
/// needs before the tool's arguments are looked at (<see cref="ToolCallFilter"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ToolRunsAttribute(string method) : Attribute
{
    public string Method { get; } = method;
}
