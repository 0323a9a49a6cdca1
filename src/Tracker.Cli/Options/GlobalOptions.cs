using System.CommandLine;
using Tracker.Cli.Output;

namespace Tracker.Cli.Options;

/// <summary>
/// The flags every command takes, anywhere on the line: where the server is, the API key, and the
/// output format. The URL and the key fall back on TRACKER_URL and TRACKER_API_KEY.
/// </summary>
internal sealed class GlobalOptions
{
    /// <summary>The environment variable with the server's HTTP endpoint.</summary>
    public const string UrlVariable = "TRACKER_URL";

    /// <summary>The environment variable with the API key or token.</summary>
    public const string ApiKeyVariable = "TRACKER_API_KEY";

    /// <summary>Where the server is when neither --url nor TRACKER_URL says: the default HTTP port on this machine.</summary>
    public const string DefaultUrl = "http://localhost:8080";

    public Option<string?> Url { get; } = new("--url")
    {
        Description = $"The server's HTTP endpoint (REST, gRPC and gRPC-Web port), e.g. http://tracker:8080. Default ${UrlVariable}, else {DefaultUrl}.",
        HelpName = "url",
        Recursive = true,
    };

    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = $"The API key (or JWT) sent as 'Authorization: Bearer <key>'. Default ${ApiKeyVariable}. Prefer the variable: a flag shows in the process list.",
        HelpName = "key",
        Recursive = true,
    };

    /// <summary>How long a call may take when the flag does not say.</summary>
    public static readonly TimeSpan DefaultCallTimeout = TimeSpan.FromSeconds(30);

    // Not --timeout: events watch's --timeout is how long to watch, which ends with exit code 0.
    // No default value in the option: help would show it as 00:00:30; the description says 30s.
    public Option<TimeSpan?> CallTimeout { get; } = new("--call-timeout")
    {
        Description = "How long to wait for the server's answer to each call before giving up with exit code 5 (DEADLINE_EXCEEDED), e.g. 10s, 2m. Default 30s. A watch's stream has no limit.",
        HelpName = "duration",
        Recursive = true,
        CustomParser = result => ValueParsers.PositiveDuration(result, "--call-timeout"),
    };

    // No default value: help would show the enum's name (Table); absent means table.
    public Option<OutputFormat?> Output { get; } = new("--output", "-o")
    {
        Description = "table (default, for people), json (the API's proto3 JSON: one object, or one per line for watch), or id (the event ids only, one per line; a next page token goes to stderr).",
        HelpName = "table|json|id",
        Recursive = true,
        CustomParser = ParseOutput,
    };

    private static OutputFormat? ParseOutput(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value.Trim();
        OutputFormat? format = text.ToLowerInvariant() switch
        {
            "table" => OutputFormat.Table,
            "json" => OutputFormat.Json,
            "id" => OutputFormat.Id,
            _ => null,
        };
        if (format is null)
        {
            result.AddError($"Invalid value '{text}' for --output: --output must be table, json or id.");
        }

        return format;
    }

    public void AddTo(RootCommand root)
    {
        root.Add(Url);
        root.Add(ApiKey);
        root.Add(Output);
        root.Add(CallTimeout);
    }
}
