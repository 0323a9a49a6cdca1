using System.Net;
using Google.Protobuf;
using Grpc.Net.Client.Web;
using Tracker.Api.V1Alpha1;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.Transport;

/// <summary>
/// The listings go out as their stored documents over gRPC and gRPC-Web and are decoded for REST
/// (ListingResponses); every transport must see the same events, totals and tokens.
/// </summary>
public sealed class ListingTransportsTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    [Fact]
    public async Task SearchEvents_EveryTransport_SameEventsTotalAndToken()
    {
        var service = TestEvents.UniqueService();
        var grpc = factory.CreateGrpcClient();
        var created = new List<Event>();
        for (var i = 0; i < 3; i++)
        {
            created.Add(await grpc.CreateEventAsync(TestEvents.Deployment(service, $"Deploy {i}")).Bounded());
        }

        var request = new SearchEventsRequest { Service = service, PageSize = 2 };
        var overGrpc = await grpc.SearchEventsAsync(request).Bounded();
        var overGrpcWeb = await factory.CreateGrpcWebClient(GrpcWebMode.GrpcWebText).SearchEventsAsync(request).Bounded();
        var rest = await factory.CreateClient().GetRestAsync($"/api/v1alpha1/events/search?service={service}&page_size=2");

        Assert.Equal(HttpStatusCode.OK, rest.Status);
        var overRest = JsonParser.Default.Parse<SearchEventsResponse>(rest.Body);
        Assert.Equal([created[2], created[1]], overGrpc.Events);
        Assert.Equal(3, overGrpc.TotalCount);
        Assert.NotEmpty(overGrpc.NextPageToken);
        Assert.Equal(overGrpc, overGrpcWeb);
        Assert.Equal(overGrpc, overRest);
    }

    [Fact]
    public async Task ListAndToday_OverGrpc_CarryTheirEvents()
    {
        var grpc = factory.CreateGrpcClient();
        var created = await grpc.CreateEventAsync(TestEvents.Deployment()).Bounded();

        var list = await grpc.ListEventsAsync(new ListEventsRequest { PerPage = 1000 }).Bounded();

        Assert.Contains(created, list.Events);
        Assert.Equal(list.Events.Count, list.TotalCount);
        var today = await grpc.TodayEventsAsync(new TodayEventsRequest()).Bounded();
        Assert.Equal(today.Events.Count, today.TotalCount);
    }
}
