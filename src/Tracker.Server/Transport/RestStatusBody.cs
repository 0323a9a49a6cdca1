using System.Text.Encodings.Web;
using System.Text.Json;
using Google.Protobuf;
using Google.Rpc;
using HttpResponse = Microsoft.AspNetCore.Http.HttpResponse;

namespace Tracker.Server.Transport;

/// <summary>
/// Writes a google.rpc.Status as a REST error body (<c>{"code": 5, "message": "...", "details": []}</c>),
/// the shape JSON transcoding gives its own errors, for the answers Tracker makes before or
/// around the transcoder.
/// </summary>
internal static class RestStatusBody
{
    // The detail types Tracker sends (RetryInfo, ErrorInfo, ...) must be known to write their Any.
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default
        .WithFormatDefaultValues(true)
        .WithTypeRegistry(Google.Protobuf.Reflection.TypeRegistry.FromFiles(ErrorDetailsReflection.Descriptor)));

    /// <summary>
    /// Client input to quote in a message, cut to <paramref name="maxLength"/> characters, so an
    /// error never grows with the request.
    /// </summary>
    public static string Echo(string? value, int maxLength) =>
        value is null ? string.Empty : value.Length <= maxLength ? value : string.Concat(value.AsSpan(0, maxLength), "...");

    public static Task WriteAsync(HttpResponse response, int httpStatus, Code code, string message) =>
        WriteAsync(response, httpStatus, new Google.Rpc.Status { Code = (int)code, Message = message });

    public static Task WriteAsync(HttpResponse response, int httpStatus, Google.Rpc.Status status)
    {
        response.StatusCode = httpStatus;
        response.ContentType = "application/json; charset=utf-8";
        return response.Body.WriteAsync(Compact(Formatter.Format(status)), response.HttpContext.RequestAborted).AsTask();
    }

    // JsonFormatter writes "{ "code": 3, ... }"; the transcoder's own error bodies are compact, and
    // a client sees the same shape whichever of them answers.
    private static byte[] Compact(string json)
    {
        using var document = JsonDocument.Parse(json);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            document.WriteTo(writer);
        }

        return buffer.ToArray();
    }
}
