using System.Text;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using ModelContextProtocol.Protocol;

namespace Tracker.Server.Mcp;

/// <summary>
/// What a tool answers: the API's messages as proto3 JSON (lowerCamelCase, enums by name, as the
/// REST API writes them, with fields at their defaults left out so the model reads less), or a
/// tool error (<see cref="CallToolResult.IsError"/>) the model can act on. An error reads
/// "CODE: message", the API's status code and message, followed by each field violation of a
/// google.rpc.BadRequest ("- filter: ..."); never an exception's text or stack.
/// </summary>
internal static class McpToolResults
{
    public static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default);

    public static CallToolResult Ok(IMessage message) => Text(Json.Format(message), isError: false);

    public static CallToolResult Ok(string json) => Text(json, isError: false);

    public static CallToolResult Failed(ToolArgumentProblems problems) => Text(problems.Describe(), isError: true);

    public static CallToolResult Failed(RpcException error)
    {
        var text = new StringBuilder()
            .Append(ProtoEnumArgument<Code>.NameOf((Code)error.StatusCode))
            .Append(": ")
            .Append(error.Status.Detail);
        if (error.GetRpcStatus()?.GetDetail<BadRequest>() is { } badRequest)
        {
            foreach (var violation in badRequest.FieldViolations)
            {
                text.Append("\n- ").Append(violation.Field).Append(": ").Append(violation.Description);
            }
        }

        return Text(text.ToString(), isError: true);
    }

    private static CallToolResult Text(string text, bool isError) => new()
    {
        Content = [new TextContentBlock { Text = text }],
        IsError = isError,
    };
}
