using System.Net;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Server.Tests.Support;
using Tracker.Server.Transport;

namespace Tracker.Server.Tests.OpenApi;

/// <summary>
/// The query parameters /openapi.json documents and the ones the REST checks accept
/// (<see cref="RestRoute"/>) are the same set on every operation, so a client built from the
/// document never sends a parameter the server refuses, and none the server takes is undocumented.
/// </summary>
public sealed class OpenApiQueryParameterTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    [Fact]
    public async Task OpenApiQueryParameters_EveryOperation_AreTheOnesTheRouteTakes()
    {
        var document = (await factory.CreateClient().GetRestAsync("/openapi.json")).Expect(HttpStatusCode.OK);
        var routes = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Select(e => e.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>())
            .OfType<GrpcJsonTranscodingMetadata>()
            .Select(RestRoute.Of)
            .ToDictionary(r => r.Display);

        var operations = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var route = routes[$"{operation.Name.ToUpperInvariant()} {path.Name}"];
                var documented = operation.Value.TryGetProperty("parameters", out var parameters)
                    ? parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()!).ToList()
                    : [];

                Assert.All(documented, name => Assert.True(route.ResolveQuery(name) is not null, $"{route.Display} documents {name}, which it refuses"));
                Assert.Equal(route.QueryParameterNames.Count, documented.Count);
                operations++;
            }
        }

        Assert.Equal(routes.Count, operations);
    }
}
