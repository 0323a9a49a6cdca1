namespace Tracker.Server.Mcp;

/// <summary>
/// What is wrong with a tool's own arguments, the ones it turns into a request before the API
/// checks it (an enum's text, a time, hours): every problem at once, each naming its argument and
/// the rule, worded as the API words its field violations ("environment must be one of ...").
/// </summary>
internal sealed class ToolArgumentProblems
{
    private readonly List<string> _problems = [];

    public bool Any => _problems.Count > 0;

    public void Add(string argument, string rule) => _problems.Add($"{argument} {rule}");

    /// <summary>"INVALID_ARGUMENT: Invalid arguments: a ...; b ...", as a tool error reads.</summary>
    public string Describe() => $"INVALID_ARGUMENT: Invalid arguments: {string.Join("; ", _problems)}";
}
