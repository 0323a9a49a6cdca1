using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Tracker.Grpc.Transcoding;

/// <summary>Serves the bound gRPC services as REST/JSON from their <c>google.api.http</c> rules.</summary>
public static class TranscodingHostingExtensions
{
    public static IServiceCollection AddGrpcTranscoding(this IServiceCollection services, Action<GrpcTranscodingOptions>? configure = null)
    {
        services.AddGrpcRuntime();
        var options = services.AddOptions<GrpcTranscodingOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return services;
    }

    /// <summary>
    /// Builds the route table from every bound method's <c>google.api.http</c> rule, once; call
    /// it after all MapGrpcService calls. Throws when a rule is invalid, naming the method and
    /// template. Serves on every endpoint; paths no other endpoint claims and no rule matches get
    /// 404 with a google.rpc.Status body, gRPC requests excepted.
    /// </summary>
    public static WebApplication MapGrpcTranscoding(this WebApplication app)
    {
        var registry = app.Services.GetRequiredService<GrpcServiceRegistry>();
        var options = app.Services.GetRequiredService<IOptions<GrpcTranscodingOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Tracker.Grpc.Transcoding");

        var routes = TranscodingRouteBuilder.Build(
            registry.Methods,
            method => TranscodingLog.StreamingMethodSkipped(logger, method.Descriptor.FullName, method.Kind));
        TranscodingLog.RoutesBuilt(logger, routes.Count);

        FileDescriptor[] files = [.. registry.Services.Select(s => s.File), Google.Rpc.ErrorDetailsReflection.Descriptor, Google.Rpc.StatusReflection.Descriptor];
        var typeRegistry = TypeRegistry.FromFiles(files);
        var wellKnownParser = new JsonParser(JsonParser.Settings.Default.WithTypeRegistry(typeRegistry));
        var binder = new HttpRequestBinder(
            new FieldTextConverter(wellKnownParser),
            new ProtoJsonReader(wellKnownParser, options.IgnoreUnknownBodyFields),
            options.MaxRequestBodySize);
        var writer = new TranscodingResponseWriter(typeRegistry, logger);
        var handler = new TranscodingRequestHandler(new TranscodingRouteTable(routes), binder, writer, logger);

        if (options.OpenApiPath is { } openApiPath)
        {
            var document = OpenApiDocumentGenerator.Generate(routes, new ProtoCommentIndex(options.SourceInfo), options.OpenApiTitle, options.OpenApiVersion);
            var json = document.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
            app.MapGet(openApiPath, (HttpContext context) =>
            {
                context.Response.ContentType = TranscodingResponseWriter.JsonContentType;
                return context.Response.WriteAsync(json, context.RequestAborted);
            });
        }

        var catchAll = RoutePatternFactory.Parse(
            "{**path}",
            defaults: null,
            parameterPolicies: new RouteValueDictionary { ["path"] = new NotGrpcRequestConstraint() });
        app.Map(catchAll, handler.HandleAsync).WithDisplayName("gRPC JSON transcoding");
        return app;
    }
}
