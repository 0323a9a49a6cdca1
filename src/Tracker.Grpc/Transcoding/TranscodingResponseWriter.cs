using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Tracker.Grpc.Transcoding;

/// <summary>
/// Writes responses and errors as proto3 JSON: lowerCamelCase names, enums as names, default
/// values omitted, errors as a google.rpc.Status body with the HTTP status of their code.
/// </summary>
internal sealed class TranscodingResponseWriter
{
    public const string JsonContentType = "application/json; charset=utf-8";

    private readonly JsonFormatter _formatter;
    private readonly ILogger _logger;

    public TranscodingResponseWriter(TypeRegistry typeRegistry, ILogger logger)
    {
        _formatter = new JsonFormatter(JsonFormatter.Settings.Default.WithTypeRegistry(typeRegistry));
        _logger = logger;
    }

    /// <summary>The JSON of a response, or of its <c>response_body</c> field.</summary>
    public string Format(IMessage response, FieldDescriptor? responseBodyField)
    {
        if (response is IEncodedMessage encoded)
        {
            response = encoded.Decode();
        }

        if (responseBodyField is null)
        {
            return JsonWhitespace.Remove(_formatter.Format(response));
        }

        var writer = new StringWriter();
        _formatter.WriteValue(writer, responseBodyField.Accessor.GetValue(response));
        return JsonWhitespace.Remove(writer.ToString());
    }

    public async Task WriteAsync(HttpResponse response, string json, CancellationToken cancellationToken)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = JsonContentType;
        await response.WriteAsync(json, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The google.rpc.Status JSON of an error; details that cannot be written are left out.</summary>
    public string FormatStatus(Google.Rpc.Status status, string method)
    {
        try
        {
            return JsonWhitespace.Remove(_formatter.Format(status));
        }
        catch (InvalidOperationException e)
        {
            // An Any detail of a type this server does not know: send the code and message.
            TranscodingLog.ErrorDetailsDropped(_logger, method, e);
            return JsonWhitespace.Remove(_formatter.Format(new Google.Rpc.Status { Code = status.Code, Message = status.Message }));
        }
    }

    public async Task WriteErrorAsync(HttpContext context, int httpStatus, Google.Rpc.Status status, string method)
    {
        var response = context.Response;
        response.StatusCode = httpStatus;
        response.ContentType = JsonContentType;
        await response.WriteAsync(FormatStatus(status, method), Encoding.UTF8, context.RequestAborted).ConfigureAwait(false);
    }
}
