using Google.Rpc;

namespace Tracker.Grpc.Transcoding;

/// <summary>
/// The errors of turning an HTTP request into a request message: INVALID_ARGUMENT with a
/// google.rpc.BadRequest field violation naming the key or JSON path, so clients can tell
/// which input was wrong without any exception text.
/// </summary>
internal static class BindingErrors
{
    public static RpcException InvalidField(string field, string description)
    {
        var violation = new BadRequest.Types.FieldViolation { Field = field, Description = description };
        var details = new BadRequest { FieldViolations = { violation } };
        return new RpcException(StatusCode.InvalidArgument, $"Invalid value for '{field}': {description}", [details]);
    }

    public static RpcException InvalidRequest(string message) => new(StatusCode.InvalidArgument, message);
}
