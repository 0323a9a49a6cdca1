using Google.Api;
using Google.Protobuf.Reflection;

namespace Tracker.Grpc.Transcoding;

/// <summary>
/// Turns each bound method's <c>google.api.http</c> rule (and its additional bindings) into
/// routes, once, at start-up. A rule that cannot work fails start-up, naming the method and
/// the template.
/// </summary>
internal static class TranscodingRouteBuilder
{
    public static IReadOnlyList<TranscodingRoute> Build(IEnumerable<GrpcMethod> methods, Action<GrpcMethod>? skippedStreamingMethod = null)
    {
        var routes = new List<TranscodingRoute>();
        foreach (var method in methods)
        {
            var rule = method.Descriptor.GetOptions()?.GetExtension(AnnotationsExtensions.Http);
            if (rule is null)
            {
                continue;
            }

            if (method.Kind is MethodKind.ClientStreaming or MethodKind.DuplexStreaming)
            {
                // Like ASP.NET Core's transcoding: these stay gRPC-only.
                skippedStreamingMethod?.Invoke(method);
                continue;
            }

            routes.Add(BuildRoute(method, rule));
            foreach (var additional in rule.AdditionalBindings)
            {
                if (additional.AdditionalBindings.Count > 0)
                {
                    throw Invalid(method, TemplateOf(additional), "additional bindings cannot have additional bindings of their own");
                }

                routes.Add(BuildRoute(method, additional));
            }
        }

        var duplicate = routes
            .GroupBy(r => (r.HttpMethod, r.Pattern.Template))
            .FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            var first = duplicate.First();
            var second = duplicate.Skip(1).First();
            throw Invalid(second.Method, second.Pattern.Template,
                $"{second.HttpMethod} {second.Pattern.Template} is already bound to method '{first.Method.Descriptor.FullName}'");
        }

        return routes;
    }

    private static TranscodingRoute BuildRoute(GrpcMethod method, HttpRule rule)
    {
        var (httpMethod, template) = rule.PatternCase switch
        {
            HttpRule.PatternOneofCase.Get => ("GET", rule.Get),
            HttpRule.PatternOneofCase.Put => ("PUT", rule.Put),
            HttpRule.PatternOneofCase.Post => ("POST", rule.Post),
            HttpRule.PatternOneofCase.Delete => ("DELETE", rule.Delete),
            HttpRule.PatternOneofCase.Patch => ("PATCH", rule.Patch),
            HttpRule.PatternOneofCase.Custom => (rule.Custom.Kind.ToUpperInvariant(), rule.Custom.Path),
            _ => throw Invalid(method, "", "the rule has no HTTP method and path"),
        };
        if (httpMethod.Length == 0 || !httpMethod.All(c => char.IsAsciiLetter(c) || c == '-'))
        {
            throw Invalid(method, template, $"'{rule.Custom.Kind}' is not an HTTP method name");
        }

        HttpRoutePattern pattern;
        try
        {
            pattern = HttpRoutePatternParser.Parse(template);
        }
        catch (FormatException e)
        {
            throw Invalid(method, template, e.Message);
        }

        var request = method.Descriptor.InputType;
        var variableFields = pattern.Variables
            .Select(v => ResolveVariable(method, template, request, v))
            .ToArray();

        FieldDescriptor? bodyField = null;
        if (rule.Body.Length > 0 && rule.Body != "*")
        {
            bodyField = request.FindFieldByName(rule.Body)
                ?? throw Invalid(method, template, $"body field '{rule.Body}' is not a field of {request.FullName}");
        }

        FieldDescriptor? responseBodyField = null;
        if (rule.ResponseBody.Length > 0)
        {
            var response = method.Descriptor.OutputType;
            responseBodyField = response.FindFieldByName(rule.ResponseBody)
                ?? throw Invalid(method, template, $"response_body field '{rule.ResponseBody}' is not a field of {response.FullName}");
        }

        var updateMask = request.FindFieldByName("update_mask");
        return new TranscodingRoute
        {
            Method = method,
            HttpMethod = httpMethod,
            Matcher = new HttpRoutePatternMatcher(pattern),
            VariableFields = variableFields,
            BodyIsWholeMessage = rule.Body == "*",
            BodyField = bodyField,
            ResponseBodyField = responseBodyField,
            UpdateMaskField = updateMask is { FieldType: FieldType.Message, IsRepeated: false }
                && updateMask.MessageType.FullName == "google.protobuf.FieldMask" ? updateMask : null,
        };
    }

    private static IReadOnlyList<FieldDescriptor> ResolveVariable(GrpcMethod method, string template, MessageDescriptor request, PatternVariable variable)
    {
        var fields = new List<FieldDescriptor>();
        var message = request;
        for (var i = 0; i < variable.FieldPath.Count; i++)
        {
            var name = variable.FieldPath[i];
            var field = message?.FindFieldByName(name)
                ?? throw Invalid(method, template, $"variable '{variable.FieldPathText}': '{name}' is not a field of {message?.FullName ?? fields[^1].FullName}");
            var isLeaf = i == variable.FieldPath.Count - 1;
            if (field.IsRepeated)
            {
                throw Invalid(method, template, $"variable '{variable.FieldPathText}': '{name}' is repeated");
            }

            if (isLeaf && !FieldTextConverter.CanConvert(field))
            {
                throw Invalid(method, template, $"variable '{variable.FieldPathText}': a message field cannot be set from a path");
            }

            if (!isLeaf && (field.FieldType != FieldType.Message || WellKnownTypes.HasSpecialJson(field.MessageType)))
            {
                throw Invalid(method, template, $"variable '{variable.FieldPathText}': '{name}' is not a message field");
            }

            fields.Add(field);
            message = isLeaf ? null : field.MessageType;
        }

        return fields;
    }

    private static string TemplateOf(HttpRule rule) => rule.PatternCase switch
    {
        HttpRule.PatternOneofCase.Get => rule.Get,
        HttpRule.PatternOneofCase.Put => rule.Put,
        HttpRule.PatternOneofCase.Post => rule.Post,
        HttpRule.PatternOneofCase.Delete => rule.Delete,
        HttpRule.PatternOneofCase.Patch => rule.Patch,
        HttpRule.PatternOneofCase.Custom => rule.Custom.Path,
        _ => "",
    };

    private static InvalidOperationException Invalid(GrpcMethod method, string template, string reason) =>
        new($"Invalid google.api.http rule on method '{method.Descriptor.FullName}', template '{template}': {reason}");
}
