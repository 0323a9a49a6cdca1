using Google.Protobuf.Reflection;

namespace Tracker.Server.Transport;

/// <summary>
/// Checks a REST request's query parameters against its route (<see cref="RestRoute"/>): each must
/// be one the route binds, given once (in one spelling) unless its field is repeated, with a value
/// its field's type accepts. JSON transcoding would skip an unknown name without a word and answer a value
/// it cannot convert with .NET's exception text ("String 'maybe' was not recognized as a valid
/// Boolean."); here both are INVALID_ARGUMENT naming the parameter and the rule.
/// </summary>
internal static class RestQueryCheck
{
    public static void Check(RestRoute route, IQueryCollection query, InputViolations violations)
    {
        // The proto path of each field set so far, and the name that set it (per_page, perPage).
        Dictionary<string, string>? set = null;
        foreach (var (name, values) in query)
        {
            if (name.Length == 0)
            {
                violations.Add(name, $"a query parameter with an empty name (\"={RestStatusBody.Echo(values.ToString(), 64)}\") is not taken; {Takes(route)}", "UNKNOWN_PARAMETER");
                continue;
            }

            var path = route.ResolveQuery(name);
            if (path is null)
            {
                violations.Add(name, Unknown(name, route), "UNKNOWN_PARAMETER");
                continue;
            }

            var field = path[^1];
            if (field.IsMap || (field.FieldType == FieldType.Message && !ProtoFields.IsScalarLike(field)))
            {
                violations.Add(name, $"cannot be set from the query string; {route.Display} takes {string.Join(", ", route.QueryParameterNames)}", "INVALID_FORMAT");
                continue;
            }

            if (!field.IsRepeated && values.Count > 1)
            {
                violations.Add(name, "is given more than once; it takes one value", "DUPLICATE_FIELD");
                continue;
            }

            var protoPath = string.Join('.', path.Select(f => f.Name));
            set ??= new(StringComparer.Ordinal);
            if (!field.IsRepeated && !set.TryAdd(protoPath, name))
            {
                violations.Add(name, $"sets the same field as {set[protoPath]}; it takes one value", "DUPLICATE_FIELD");
                continue;
            }

            foreach (var value in values)
            {
                if (!ProtoFields.AcceptsText(field, value ?? string.Empty))
                {
                    violations.Add(name, $"must be {ProtoFields.Expected(field)}, not \"{RestStatusBody.Echo(value, 64)}\"", "INVALID_FORMAT");
                    break;
                }
            }
        }
    }

    private static string Unknown(string name, RestRoute route)
    {
        var advice = NeighbourParameterNames.Advice(name, route) ?? route.ReadElsewhere(name);
        if (advice is not null)
        {
            return $"is not a query parameter of {route.Method}; {advice}";
        }

        return route.QueryParameterNames.Count == 0
            ? $"is not a query parameter of {route.Method}, which takes none"
            : $"is not a query parameter of {route.Method}; it takes {string.Join(", ", route.QueryParameterNames)} (proto or lowerCamelCase names)";
    }

    private static string Takes(RestRoute route) => route.QueryParameterNames.Count == 0
        ? $"{route.Method} takes no query parameters"
        : $"{route.Method} takes {string.Join(", ", route.QueryParameterNames)} (proto or lowerCamelCase names)";
}
