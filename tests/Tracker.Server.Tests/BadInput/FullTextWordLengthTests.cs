using System.Net;
using Google.Rpc;
using Grpc.Core;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Querying;
using Tracker.Server.Tests.Support;
using StatusCode = Grpc.Core.StatusCode;

namespace Tracker.Server.Tests.BadInput;

/// <summary>
/// A q word longer than <see cref="FullTextWords.MaxWordChars"/> is refused with INVALID_ARGUMENT
/// on q by every method that takes q, over gRPC and REST, whatever the store: PostgreSQL's tsquery
/// cannot hold a word much longer, and both stores must answer a q the same way.
/// </summary>
public sealed class FullTextWordLengthTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly EventService.EventServiceClient _client = factory.CreateGrpcClient();
    private readonly HttpClient _http = factory.CreateClient();

    /// <summary>Each method with q, and a q whose longest word is one character over, in 1-, 3- and 4-byte UTF-8.</summary>
    public static TheoryData<string, string> MethodsAndWords()
    {
        var data = new TheoryData<string, string>();
        foreach (var method in new[] { "ListEvents", "SearchEvents", "TodayEvents" })
        {
            data.Add(method, "deploy " + new string('a', FullTextWords.MaxWordChars + 1));
            data.Add(method, new string('語', FullTextWords.MaxWordChars + 1));
            data.Add(method, string.Concat(Enumerable.Repeat("\U00020000", FullTextWords.MaxWordChars + 1)));
            data.Add(method, new string('x', 4000));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MethodsAndWords))]
    public async Task Grpc_WordOverTheLongest_InvalidArgumentNamingQ(string method, string q)
    {
        var mark = factory.Logs.Mark();

        var error = await Assert.ThrowsAsync<RpcException>(() => method switch
        {
            "ListEvents" => _client.ListEventsAsync(new ListEventsRequest { Q = q }).Bounded(),
            "SearchEvents" => _client.SearchEventsAsync(new SearchEventsRequest { Q = q }).Bounded(),
            _ => (Task)_client.TodayEventsAsync(new TodayEventsRequest { Q = q }).Bounded(),
        });

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var violation = Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations);
        Assert.Equal("q", violation.Field);
        Assert.EndsWith($"a word is at most {FullTextWords.MaxWordChars}", violation.Description, StringComparison.Ordinal);
        Assert.Empty(factory.Logs.ErrorsWithExceptionsSince(mark));
    }

    [Theory]
    [MemberData(nameof(MethodsAndWords))]
    public async Task Rest_WordOverTheLongest_400NamingQ(string method, string q)
    {
        var path = method switch
        {
            "ListEvents" => "/api/v1alpha1/events/list",
            "SearchEvents" => "/api/v1alpha1/events/search",
            _ => "/api/v1alpha1/events/today",
        };

        var status = (await _http.GetRestAsync($"{path}?q={Uri.EscapeDataString(q)}")).Expect(HttpStatusCode.BadRequest);

        Assert.Equal(3, status.GetProperty("code").GetInt32());
        Assert.Equal("q", status.GetProperty("details")[0].GetProperty("fieldViolations")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task ListEvents_WordOfTheLongestLength_FindsTheEventItBegins()
    {
        var word = new string('語', FullTextWords.MaxWordChars);
        var request = TestEvents.Deployment();
        request.Attributes.Message = word + word;
        var created = await _client.CreateEventAsync(request).Bounded();

        var page = await _client.ListEventsAsync(new ListEventsRequest { Q = word }).Bounded();

        Assert.Equal(created.Id, Assert.Single(page.Events).Id);
    }
}
