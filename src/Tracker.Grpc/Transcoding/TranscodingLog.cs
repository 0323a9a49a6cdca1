using Microsoft.Extensions.Logging;

namespace Tracker.Grpc.Transcoding;

internal static partial class TranscodingLog
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Error, Message = "Transcoded call {Method} threw an exception.")]
    public static partial void HandlerFailed(ILogger logger, string method, Exception exception);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Method {Method} is {Kind}: it has a google.api.http rule but is served over gRPC only.")]
    public static partial void StreamingMethodSkipped(ILogger logger, string method, MethodKind kind);

    [LoggerMessage(EventId = 103, Level = LogLevel.Debug, Message = "Transcoding {Count} HTTP routes.")]
    public static partial void RoutesBuilt(ILogger logger, int count);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Could not write the error of transcoded call {Method} as JSON; sent it without details.")]
    public static partial void ErrorDetailsDropped(ILogger logger, string method, Exception exception);
}
