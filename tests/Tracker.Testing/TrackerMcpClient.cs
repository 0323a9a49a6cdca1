using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Tracker.Testing;

/// <summary>
/// The C# MCP SDK's own client on Tracker's <c>/mcp</c>, over its Streamable HTTP transport, as an
/// agent connects: to a real server's HTTP endpoint, or to a TestServer through its handler.
/// </summary>
public static class TrackerMcpClient
{
    public static Task<McpClient> ConnectAsync(Uri httpAddress, string? bearer = null, HttpMessageHandler? handler = null, CancellationToken cancellationToken = default)
    {
        var options = new HttpClientTransportOptions
        {
            Endpoint = new Uri(httpAddress, "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            Name = "tracker-tests",
        };
        if (bearer is not null)
        {
            options.AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + bearer };
        }

        var http = handler is null ? new HttpClient() : new HttpClient(handler);
        var transport = new HttpClientTransport(options, http, loggerFactory: null, ownsHttpClient: true);
        return McpClient.CreateAsync(transport, cancellationToken: cancellationToken);
    }

    /// <summary>The text a tool answered (its text blocks, joined).</summary>
    public static string Text(this CallToolResult result) =>
        string.Concat(result.Content.OfType<TextContentBlock>().Select(block => block.Text));
}
