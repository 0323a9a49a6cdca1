using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Google.Api;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;

namespace Tracker.Server.Transport;

/// <summary>
/// What one JSON-transcoded REST route reads, derived from its method's request message and its
/// google.api.http rule (the endpoint's <see cref="GrpcJsonTranscodingMetadata"/>), so the names
/// the API accepts are never listed by hand:
/// <list type="bullet">
/// <item>the query parameters: every field of the request message that the route's path and body
/// do not take, by proto name (<c>per_page</c>) or JSON name (<c>perPage</c>), nested fields
/// dot-separated, as JSON transcoding binds them (google/api/http.proto: "any fields in the
/// request message which are not bound by the path template automatically become HTTP query
/// parameters"); none when the body is <c>*</c>;</item>
/// <item>the body: the message the JSON body is read as (the request, or its <c>body</c> field);</item>
/// <item>the output-only fields of a standard Create or Update (AIP-133, AIP-134) whose body is the
/// whole request: the fields of the resource it returns that the request does not have (an
/// Event's id, createdAt, etag, count...). AIP-203 says a server must ignore them in a request and
/// not fail because of them, so a client may send back an event it read.</item>
/// </list>
/// </summary>
internal sealed partial class RestRoute
{
    private static readonly ConcurrentDictionary<(MethodDescriptor, HttpRule), RestRoute> Routes = new();

    private readonly HashSet<string> _routeParameters;
    private readonly HashSet<string> _outputOnly;

    private RestRoute(MethodDescriptor method, HttpRule rule)
    {
        Method = method.Name;
        Request = method.InputType;
        var (verb, template) = VerbAndTemplate(rule);
        Display = $"{verb} {template}";
        _routeParameters = [.. RouteVariable().Matches(template).Select(m => m.Groups[1].Value)];

        if (rule.Body == "*")
        {
            Body = Request;
        }
        else if (rule.Body.Length > 0)
        {
            BodyField = Request.FindFieldByName(rule.Body);
            Body = BodyField?.MessageType;
        }

        _outputOnly = [];
        if (rule.Body == "*" && (Method.StartsWith("Create", StringComparison.Ordinal) || Method.StartsWith("Update", StringComparison.Ordinal)))
        {
            foreach (var field in method.OutputType.Fields.InDeclarationOrder().Where(f => ProtoFields.Find(Request, f.Name) is null))
            {
                _outputOnly.Add(field.Name);
                _outputOnly.Add(field.JsonName);
            }
        }

        QueryParameterNames = [.. Request.Fields.InDeclarationOrder()
            .Where(f => TakesFromQuery(f.Name))
            .Select(f => ProtoFields.IsScalarLike(f) ? f.Name : f.Name + ".*")];
    }

    /// <summary>The RPC's name, e.g. ListEvents.</summary>
    public string Method { get; }

    /// <summary>The verb and path template, e.g. "GET /api/v1alpha1/events/list".</summary>
    public string Display { get; }

    public MessageDescriptor Request { get; }

    /// <summary>The message the JSON body is read as; null for a route without a body.</summary>
    public MessageDescriptor? Body { get; }

    /// <summary>The request field the body fills (<c>body: "channel"</c>); null when the body is the whole request or there is none.</summary>
    public FieldDescriptor? BodyField { get; }

    /// <summary>The proto names of the query parameters, in declaration order; a message field as "name.*".</summary>
    public IReadOnlyList<string> QueryParameterNames { get; }

    /// <summary>The route of <paramref name="metadata"/>, built once per method and rule.</summary>
    public static RestRoute Of(GrpcJsonTranscodingMetadata metadata) =>
        Routes.GetOrAdd((metadata.MethodDescriptor, metadata.HttpRule), key => new RestRoute(key.Item1, key.Item2));

    /// <summary>Whether the path template binds the field at <paramref name="protoPath"/> (<c>id</c>, <c>channel.name</c>).</summary>
    public bool IsPathBound(string protoPath) => _routeParameters.Contains(protoPath);

    /// <summary>Whether a top-level body property is an output-only field of the resource, to be ignored (AIP-203).</summary>
    public bool IsIgnoredOutputOnly(string name) => _outputOnly.Contains(name);

    /// <summary>
    /// The fields a query parameter sets, outermost first, as JSON transcoding resolves it; null
    /// when the route does not take it from the query (unknown, in the path, or in the body).
    /// </summary>
    public IReadOnlyList<FieldDescriptor>? ResolveQuery(string name)
    {
        if (!TakesFromQuery(name))
        {
            return null;
        }

        var path = new List<FieldDescriptor>();
        MessageDescriptor? message = Request;
        foreach (var segment in name.Split('.'))
        {
            var field = message is null ? null : ProtoFields.Find(message, segment);
            if (field is null)
            {
                return null;
            }

            path.Add(field);
            message = field.FieldType == FieldType.Message && !ProtoFields.IsScalarLike(field) ? field.MessageType : null;
        }

        return path;
    }

    /// <summary>Why the route does not read <paramref name="name"/> from the query, when it is a field it reads elsewhere.</summary>
    public string? ReadElsewhere(string name)
    {
        var first = name.Split('.')[0];
        if (Body is not null && BodyField is null)
        {
            return $"{Display} takes no query parameters: its fields go in the JSON body";
        }

        if (BodyField is not null && ProtoFields.Find(Request, first) == BodyField)
        {
            return $"{BodyField.Name} goes in the JSON body of {Display}";
        }

        return _routeParameters.Contains(name) ? $"{name} is taken from the path of {Display}" : null;
    }

    private bool TakesFromQuery(string name)
    {
        if (Body is not null && BodyField is null)
        {
            return false;
        }

        if (BodyField is not null && (name == BodyField.Name || name.StartsWith(BodyField.Name + ".", StringComparison.Ordinal)))
        {
            return false;
        }

        return !_routeParameters.Contains(name);
    }

    private static (string Verb, string Template) VerbAndTemplate(HttpRule rule) => rule.PatternCase switch
    {
        HttpRule.PatternOneofCase.Get => ("GET", rule.Get),
        HttpRule.PatternOneofCase.Post => ("POST", rule.Post),
        HttpRule.PatternOneofCase.Put => ("PUT", rule.Put),
        HttpRule.PatternOneofCase.Patch => ("PATCH", rule.Patch),
        HttpRule.PatternOneofCase.Delete => ("DELETE", rule.Delete),
        HttpRule.PatternOneofCase.Custom => (rule.Custom.Kind, rule.Custom.Path),
        _ => ("?", "?"),
    };

    // A path template variable (google/api/http.proto): "{id}", "{channel.name}", "{name=projects/*}".
    [GeneratedRegex(@"\{([^}=]+)(?:=[^}]*)?\}")]
    private static partial Regex RouteVariable();
}
