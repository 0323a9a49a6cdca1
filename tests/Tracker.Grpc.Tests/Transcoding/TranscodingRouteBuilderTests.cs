using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Grpc.Tests.Transcoding.Protos;
using Tracker.Grpc.Transcoding;
using Xunit;

namespace Tracker.Grpc.Tests.Transcoding;

public sealed class TranscodingRouteBuilderTests
{
    public static TheoryData<string, string> InvalidRules => new()
    {
        {
            "BadTemplateService",
            "Invalid google.api.http rule on method 'transcoding.test.v1.BadTemplateService.Get', template '/v1/widgets/{id': Expected '}' at position 15."
        },
        {
            "UnknownVariableService",
            "Invalid google.api.http rule on method 'transcoding.test.v1.UnknownVariableService.Get', template '/v1/widgets/{widget_id}': variable 'widget_id': 'widget_id' is not a field of transcoding.test.v1.GetWidgetRequest"
        },
        {
            "MessageVariableService",
            "Invalid google.api.http rule on method 'transcoding.test.v1.MessageVariableService.Update', template '/v1/widgets/{widget}': variable 'widget': a message field cannot be set from a path"
        },
        {
            "UnknownBodyService",
            "Invalid google.api.http rule on method 'transcoding.test.v1.UnknownBodyService.Create', template '/v1/widgets': body field 'thing' is not a field of transcoding.test.v1.CreateWidgetRequest"
        },
        {
            "UnknownResponseBodyService",
            "Invalid google.api.http rule on method 'transcoding.test.v1.UnknownResponseBodyService.Get', template '/v1/widgets/{id}': response_body field 'title' is not a field of transcoding.test.v1.Widget"
        },
        {
            "BadAdditionalBindingService",
            "Invalid google.api.http rule on method 'transcoding.test.v1.BadAdditionalBindingService.Get', template '/v1/**/x': '**' must be the last segment; found another segment at position 7."
        },
        {
            "DuplicateRouteService",
            "Invalid google.api.http rule on method 'transcoding.test.v1.DuplicateRouteService.Delete', template '/v1/widgets/{id}': GET /v1/widgets/{id} is already bound to method 'transcoding.test.v1.DuplicateRouteService.Get'"
        },
    };

    [Theory]
    [MemberData(nameof(InvalidRules))]
    public void Build_InvalidRule_ThrowsNamingMethodAndTemplate(string service, string message)
    {
        var methods = ServiceBinder.Bind<NoImplementation>(InvalidReflection.Descriptor.Services.Single(s => s.Name == service));

        var error = Assert.Throws<InvalidOperationException>(() => TranscodingRouteBuilder.Build(methods));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void MapGrpcTranscoding_InvalidRule_FailsStartUp()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddGrpcTranscoding();
        using var web = builder.Build();
        web.MapGrpcService<NoImplementation>(InvalidReflection.Descriptor.Services.Single(s => s.Name == "BadTemplateService"));

        var error = Assert.Throws<InvalidOperationException>(() => web.MapGrpcTranscoding());

        Assert.Contains("'transcoding.test.v1.BadTemplateService.Get', template '/v1/widgets/{id'", error.Message);
    }

    [Fact]
    public void Build_WidgetService_RoutesEveryBindingAndSkipsClientStreaming()
    {
        var skipped = new List<string>();

        var routes = TranscodingRouteBuilder.Build(
            ServiceBinder.Bind<WidgetServiceImpl>(WidgetServiceImpl.Descriptor),
            method => skipped.Add(method.Descriptor.Name));

        Assert.Equal(["Upload"], skipped);
        Assert.Equal(
            [
                "GET /v1/widgets/{id}", "GET /v1/shelves/{shelf}/widgets/{id}", "POST /v1/widgets", "PUT /v1/widgets",
                "PATCH /v1/widgets/{widget.id}", "DELETE /v1/widgets/{id}", "GET /v1/widgets", "GET /v1/widgets/{id}/name",
                "GET /v1/{name=shelves/*/books/*}", "GET /v1/files/{name=**}", "POST /v1/widgets/{id}:archive",
                "GET /v1/widgets:watch", "SEARCH /v1/widgets", "POST /v1/fail/{code}", "POST /v1/echo", "GET /v1/echo",
            ],
            routes.Select(r => r.ToString()));
    }

    private sealed class NoImplementation;
}
