using Microsoft.OpenApi.Models;
using Swashbuckle.AspNetCore.SwaggerGen;
using Tracker.Events.Storage;

namespace Tracker.Server.Schema;

/// <summary>
/// Writes the filterable fields (<see cref="EventFieldTable"/>, from <see cref="EventFields.All"/>)
/// under the proto comment of every operation's <c>filter</c> query parameter, so that the
/// OpenAPI document lists the fields a filter may name without a hand-written copy.
/// </summary>
internal sealed class FilterFieldsDocumentFilter : IDocumentFilter
{
    /// <summary>The query parameter that takes an AIP-160 filter expression.</summary>
    public const string ParameterName = "filter";

    /// <summary>What the field list adds to the parameter's description (Markdown).</summary>
    public static string FieldList { get; } =
        "\n\nFields (by proto name; the `attributes.` prefix is optional; `labels.<key>` names one label):\n\n"
        + EventFieldTable.Markdown(EventFields.All);

    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        var parameters = swaggerDoc.Paths.Values
            .SelectMany(path => path.Operations.Values)
            .SelectMany(operation => operation.Parameters ?? [])
            .Where(p => p.In == ParameterLocation.Query && p.Name == ParameterName);
        foreach (var parameter in parameters)
        {
            parameter.Description = (parameter.Description ?? string.Empty) + FieldList;
        }
    }
}
