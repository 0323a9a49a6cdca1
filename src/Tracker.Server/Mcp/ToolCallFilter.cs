using Grpc.Core;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Tracker.Server.Mcp;

/// <summary>
/// What a tools/call goes through before its tool runs, in the API's order (AIP-211, README
/// "Securing Tracker"): first whether the caller may call the method the tool runs
/// (<see cref="ToolRunsAttribute"/>: credentials, then scope), so a caller without the scope
/// learns only that; then the arguments against the tool's schema (<see cref="ToolArgumentCheck"/>).
/// Either refusal is a tool error, and so is the API's refusal of the call the tool makes
/// (an RpcException: INVALID_ARGUMENT, NOT_FOUND, ...), with the API's status and message.
/// </summary>
internal static class ToolCallFilter
{
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Filter(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (request, cancellationToken) =>
        {
            if (request.MatchedPrimitive is not McpServerTool tool)
            {
                return await next(request, cancellationToken).ConfigureAwait(false);
            }

            if (tool.Metadata.OfType<ToolRunsAttribute>().FirstOrDefault() is { } runs)
            {
                try
                {
                    await request.Services!.GetRequiredService<EventServiceCalls>().AuthorizeAsync(runs.Method, cancellationToken).ConfigureAwait(false);
                }
                catch (RpcException e)
                {
                    return McpToolResults.Failed(e);
                }
            }

            if (ToolArgumentCheck.Check(tool.ProtocolTool.InputSchema, request.Params?.Arguments) is { Any: true } problems)
            {
                return McpToolResults.Failed(problems);
            }

            try
            {
                return await next(request, cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                // The API's refusal of the method a tool ran, as the API words it, for every tool.
                return McpToolResults.Failed(e);
            }
        };
}
