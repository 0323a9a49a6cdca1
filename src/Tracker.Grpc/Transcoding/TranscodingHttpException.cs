namespace Tracker.Grpc.Transcoding;

/// <summary>
/// A request refused before it reaches a handler with an HTTP status of its own (415, 413),
/// answered with a google.rpc.Status body carrying <see cref="Code"/>.
/// </summary>
internal sealed class TranscodingHttpException : Exception
{
    public TranscodingHttpException(int httpStatus, StatusCode code, string message)
        : base(message)
    {
        HttpStatus = httpStatus;
        Code = code;
    }

    public int HttpStatus { get; }

    public StatusCode Code { get; }
}
