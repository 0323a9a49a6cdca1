using System.Buffers;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Tracker.Grpc.Transcoding;

/// <summary>
/// Builds a route's request message from an HTTP request: path variables, then the query
/// string (unless the body is the whole message), then the JSON body; path values win over the
/// body. A request message with an unset top-level <c>update_mask</c> gets the paths the JSON
/// body contained (AIP-134's implied mask), so a partial PUT merges only what was sent.
/// </summary>
internal sealed class HttpRequestBinder
{
    private readonly FieldTextConverter _textConverter;
    private readonly ProtoJsonReader _jsonReader;
    private readonly long _maxBodySize;

    public HttpRequestBinder(FieldTextConverter textConverter, ProtoJsonReader jsonReader, long maxBodySize)
    {
        _textConverter = textConverter;
        _jsonReader = jsonReader;
        _maxBodySize = maxBodySize;
    }

    public async Task<IMessage> BindAsync(TranscodingRoute route, string[] variableValues, HttpRequest request, CancellationToken cancellationToken)
    {
        var message = route.Method.RequestParser.ParseFrom(ByteString.Empty);
        BindPath(message, route, variableValues);
        var maskGiven = false;
        if (!route.BodyIsWholeMessage)
        {
            maskGiven = BindQuery(message, route, request.Query);
        }

        if (!route.HasBody)
        {
            return message;
        }

        var present = await BindBodyAsync(message, route, request, cancellationToken).ConfigureAwait(false);
        BindPath(message, route, variableValues);
        maskGiven |= route.BodyIsWholeMessage && present.Any(p => p == "update_mask" || p.StartsWith("update_mask.", StringComparison.Ordinal));
        if (route.UpdateMaskField is { } maskField && !maskGiven)
        {
            var paths = ImpliedMaskPaths(route, present);
            if (paths.Count > 0)
            {
                maskField.Accessor.SetValue(message, new FieldMask { Paths = { paths } });
            }
        }

        return message;
    }

    private void BindPath(IMessage message, TranscodingRoute route, string[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var fields = route.VariableFields[i];
            var leaf = fields[^1];
            var name = route.Pattern.Variables[i].FieldPathText;
            SetLeaf(message, fields, _textConverter.Convert(leaf, values[i], name));
        }
    }

    /// <summary>Binds the query string; returns whether it set the update mask.</summary>
    private bool BindQuery(IMessage message, TranscodingRoute route, IQueryCollection query)
    {
        var descriptor = message.Descriptor;
        var bound = new Dictionary<string, (IReadOnlyList<FieldDescriptor> Fields, List<(string Key, string Value)> Values)>(StringComparer.Ordinal);
        foreach (var (key, values) in query)
        {
            var fields = ResolveQueryKey(descriptor, key);
            if (fields is null || IsBoundElsewhere(route, fields))
            {
                continue;
            }

            var leaf = fields[^1];
            if (!FieldTextConverter.CanConvert(leaf))
            {
                throw BindingErrors.InvalidField(key, "a message or map field cannot be set from a query parameter");
            }

            var path = string.Join('.', fields.Select(f => f.Name));
            if (!bound.TryGetValue(path, out var entry))
            {
                entry = (fields, []);
                bound[path] = entry;
            }

            foreach (var value in values)
            {
                entry.Values.Add((key, value ?? ""));
            }
        }

        foreach (var (_, (fields, values)) in bound)
        {
            var leaf = fields[^1];
            if (!leaf.IsRepeated && values.Count > 1)
            {
                throw BindingErrors.InvalidField(values[^1].Key, $"expected one value, got {values.Count}");
            }

            foreach (var (key, value) in values)
            {
                SetLeaf(message, fields, _textConverter.Convert(leaf, value, key));
            }
        }

        return route.UpdateMaskField is { } mask && bound.ContainsKey(mask.Name);
    }

    /// <summary>The fields a dotted key names (each part a JSON or proto name), or null when it names none.</summary>
    private static IReadOnlyList<FieldDescriptor>? ResolveQueryKey(MessageDescriptor descriptor, string key)
    {
        var fields = new List<FieldDescriptor>();
        var message = descriptor;
        foreach (var part in key.Split('.'))
        {
            if (message is null || ProtoJsonReader.FindField(message, part) is not { } field)
            {
                return null;
            }

            fields.Add(field);
            message = field.FieldType == FieldType.Message && !field.IsRepeated && !WellKnownTypes.HasSpecialJson(field.MessageType)
                ? field.MessageType
                : null;
        }

        return fields;
    }

    // Path variables and the body field own their fields: the query cannot override them.
    private static bool IsBoundElsewhere(TranscodingRoute route, IReadOnlyList<FieldDescriptor> fields)
    {
        if (route.BodyField is { } body && fields[0] == body)
        {
            return true;
        }

        return route.VariableFields.Any(v => IsPrefix(v, fields) || IsPrefix(fields, v));
    }

    private static bool IsPrefix(IReadOnlyList<FieldDescriptor> prefix, IReadOnlyList<FieldDescriptor> fields) =>
        prefix.Count <= fields.Count && prefix.Select((f, i) => fields[i] == f).All(same => same);

    private static void SetLeaf(IMessage message, IReadOnlyList<FieldDescriptor> fields, object value)
    {
        var target = message;
        foreach (var field in fields.Take(fields.Count - 1))
        {
            var child = (IMessage?)field.Accessor.GetValue(target);
            if (child is null)
            {
                child = (IMessage)Activator.CreateInstance(field.MessageType.ClrType)!;
                field.Accessor.SetValue(target, child);
            }

            target = child;
        }

        var leaf = fields[^1];
        var converted = value is IMessage parsed ? WellKnownTypes.ToAccessorValue(leaf, parsed)! : value;
        if (leaf.IsRepeated)
        {
            ((System.Collections.IList)leaf.Accessor.GetValue(target)).Add(converted);
        }
        else
        {
            leaf.Accessor.SetValue(target, converted);
        }
    }

    private async Task<List<string>> BindBodyAsync(IMessage message, TranscodingRoute route, HttpRequest request, CancellationToken cancellationToken)
    {
        var present = new List<string>();
        var hasBody = request.ContentLength > 0
            || (request.ContentLength is null && request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true);
        if (!hasBody)
        {
            return present;
        }

        if (!IsJson(request.ContentType))
        {
            throw new TranscodingHttpException(
                StatusCodes.Status415UnsupportedMediaType,
                StatusCode.InvalidArgument,
                $"Content-Type '{request.ContentType}' is not supported: send the body as application/json.");
        }

        var body = await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        if (body.Length == 0)
        {
            return present;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 100 });
        }
        catch (JsonException e)
        {
            throw BindingErrors.InvalidRequest(
                $"The request body is not valid JSON (line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}).");
        }

        using (document)
        {
            if (route.BodyIsWholeMessage)
            {
                _jsonReader.Merge(message, document.RootElement, present);
            }
            else
            {
                _jsonReader.MergeField(message, route.BodyField!, document.RootElement, present);
            }
        }

        return present;
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        && (!media.Charset.HasValue || media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            || media.Charset.Equals("utf8", StringComparison.OrdinalIgnoreCase));

    private async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > _maxBodySize)
        {
            throw TooLarge();
        }

        var buffer = new ArrayBufferWriter<byte>(request.ContentLength is { } length ? (int)Math.Max(length, 1) : 4096);
        while (true)
        {
            var memory = buffer.GetMemory(8192);
            var read = await request.Body.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.WrittenMemory;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > _maxBodySize)
            {
                throw TooLarge();
            }
        }
    }

    private TranscodingHttpException TooLarge() => new(
        StatusCodes.Status413PayloadTooLarge,
        StatusCode.ResourceExhausted,
        $"The request body is larger than the limit of {_maxBodySize} bytes.");

    /// <summary>
    /// The body's present paths, relative to the body (the resource for <c>body: "field"</c>),
    /// without path-bound fields and without the mask itself.
    /// </summary>
    private static List<string> ImpliedMaskPaths(TranscodingRoute route, List<string> present)
    {
        var prefix = route.BodyField is { } body ? body.Name + "." : "";
        var excluded = route.VariableFields
            .Select(fields => string.Join('.', fields.Select(f => f.Name)))
            .Where(path => path.StartsWith(prefix, StringComparison.Ordinal))
            .Select(path => path[prefix.Length..])
            .Append("update_mask")
            .ToArray();
        var paths = new List<string>();
        foreach (var path in present)
        {
            if (!path.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var relative = path[prefix.Length..];
            if (relative.Length > 0 && !paths.Contains(relative)
                && !excluded.Any(e => relative == e || relative.StartsWith(e + ".", StringComparison.Ordinal)))
            {
                paths.Add(relative);
            }
        }

        return paths;
    }
}
