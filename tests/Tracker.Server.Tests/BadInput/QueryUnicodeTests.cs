using System.Net;
using Google.Rpc;
using Grpc.Core;
using Tracker.Api.V1Alpha1;
using Tracker.Server.Tests.Support;
using StatusCode = Grpc.Core.StatusCode;

namespace Tracker.Server.Tests.BadInput;

/// <summary>
/// Text that is not valid Unicode inside a query-language parameter, on every method that takes
/// one (List, Search, Today, Watch) and over gRPC and REST. The only spelling that reaches Tracker
/// is a JSON \u escape naming half a surrogate pair in <c>query</c>: protobuf refuses invalid
/// UTF-8 before any handler runs (INTERNAL, as grpc-go does), ASP.NET Core leaves an invalid
/// percent-encoded UTF-8 sequence in a query string undecoded, and <c>filter</c> has no \u escape.
/// </summary>
public sealed class QueryUnicodeTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private const string Service = "tracker.event.v1alpha1.EventService";

    private readonly EventService.EventServiceClient _client = factory.CreateGrpcClient();
    private readonly HttpClient _http = factory.CreateClient();

    public static readonly string[] Methods = ["ListEvents", "SearchEvents", "TodayEvents", "WatchEvents"];

    /// <summary>MongoDB-style queries whose JSON escapes decode to a lone surrogate, in a value, a key, an operator, a list.</summary>
    public static readonly string[] LoneSurrogateQueries =
    [
        """{"title":"\ud800"}""",
        """{"title":"a\udc00b"}""",
        """{"\ud800":1}""",
        """{"service":{"$\udbff":"x"}}""",
        """{"labels.team":{"$in":["a","\udfff"]}}""",
        """{"$or":[{"service":"a"},{"owner":{"$not":{"$eq":"\ud83d"}}}]}""",
    ];

    public static TheoryData<string, string> MethodsAndQueries()
    {
        var data = new TheoryData<string, string>();
        foreach (var method in Methods)
        {
            foreach (var query in LoneSurrogateQueries)
            {
                data.Add(method, query);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MethodsAndQueries))]
    public async Task Grpc_LoneSurrogateInQuery_InvalidArgumentNamingQuery(string method, string query)
    {
        var mark = factory.Logs.Mark();

        var error = await Assert.ThrowsAsync<RpcException>(() => CallGrpcAsync(method, query));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var violation = Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations);
        Assert.Equal("query", violation.Field);
        Assert.Contains("is not valid Unicode", violation.Description, StringComparison.Ordinal);
        Assert.Empty(factory.Logs.ErrorsWithExceptionsSince(mark));
    }

    [Theory]
    [MemberData(nameof(MethodsAndQueries))]
    public async Task Rest_LoneSurrogateInQuery_400NamingQuery(string method, string query)
    {
        var mark = factory.Logs.Mark();

        var response = await _http.GetRestAsync($"{RestPath(method)}?query={Uri.EscapeDataString(query)}");

        var status = response.Expect(HttpStatusCode.BadRequest);
        Assert.Equal(3, status.GetProperty("code").GetInt32());
        var violation = status.GetProperty("details")[0].GetProperty("fieldViolations")[0];
        Assert.Equal("query", violation.GetProperty("field").GetString());
        Assert.Contains("is not valid Unicode", violation.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Empty(factory.Logs.ErrorsWithExceptionsSince(mark));
    }

    /// <summary>The query-language parameters each method's request carries, as protobuf field numbers.</summary>
    public static TheoryData<string, string, int> ProtobufStringFields() => new()
    {
        { "ListEvents", "page_token", 4 }, { "ListEvents", "order_by", 5 }, { "ListEvents", "filter", 6 }, { "ListEvents", "query", 7 }, { "ListEvents", "q", 8 }, { "ListEvents", "after_id", 9 },
        { "SearchEvents", "page_token", 14 }, { "SearchEvents", "order_by", 15 }, { "SearchEvents", "filter", 16 }, { "SearchEvents", "query", 17 }, { "SearchEvents", "q", 18 }, { "SearchEvents", "after_id", 19 },
        { "TodayEvents", "page_token", 5 }, { "TodayEvents", "order_by", 6 }, { "TodayEvents", "filter", 7 }, { "TodayEvents", "query", 8 }, { "TodayEvents", "q", 9 },
        { "WatchEvents", "filter", 1 }, { "WatchEvents", "query", 2 }, { "WatchEvents", "after_id", 3 },
    };

    /// <summary>UTF-8 for a surrogate (ED A0 80) in a protobuf string field: the message does not decode.</summary>
    [Theory]
    [MemberData(nameof(ProtobufStringFields))]
    public async Task Grpc_EncodedSurrogateInStringField_InternalBeforeTracker(string method, string field, int number)
    {
        var mark = factory.Logs.Mark();
        byte[] message = [(byte)((number << 3) | 2), 3, 0xED, 0xA0, 0x80];

        var response = await RawGrpc.SendAsync(factory.Server.CreateClient(), Service, method, RawGrpc.Frame(message));

        Assert.True(response.GrpcStatus == StatusCode.Internal, $"{method}.{field}: {response}");
        Assert.Empty(factory.Logs.ErrorsWithExceptionsSince(mark));
    }

    public static TheoryData<string, string> RestParameters()
    {
        var data = new TheoryData<string, string>();
        foreach (var method in Methods)
        {
            foreach (var parameter in new[] { "filter", "query", "q", "orderBy", "afterId", "pageToken" })
            {
                data.Add(method, parameter);
            }
        }

        return data;
    }

    /// <summary>
    /// Percent-encoded bytes that are not UTF-8 in each query-language parameter: ASP.NET Core
    /// keeps them as the literal text "%ED%A0%80", which each parameter takes or refuses by its
    /// own rule; none answers 500 or logs a stack trace.
    /// </summary>
    [Theory]
    [MemberData(nameof(RestParameters))]
    public async Task Rest_PercentEncodedSurrogateInParameter_NeverServerError(string method, string parameter)
    {
        var mark = factory.Logs.Mark();
        using var cancel = new CancellationTokenSource();

        using var response = await _http.GetAsync($"{RestPath(method)}?{parameter}=%ED%A0%80", HttpCompletionOption.ResponseHeadersRead, cancel.Token).Bounded();
        await cancel.CancelAsync();

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{method} {parameter}: {(int)response.StatusCode}");
        Assert.Empty(factory.Logs.ErrorsWithExceptionsSince(mark));
    }

    private async Task CallGrpcAsync(string method, string query)
    {
        switch (method)
        {
            case "ListEvents":
                await _client.ListEventsAsync(new ListEventsRequest { Query = query }).Bounded();
                break;
            case "SearchEvents":
                await _client.SearchEventsAsync(new SearchEventsRequest { Query = query }).Bounded();
                break;
            case "TodayEvents":
                await _client.TodayEventsAsync(new TodayEventsRequest { Query = query }).Bounded();
                break;
            default:
                using (var watch = _client.WatchEvents(new WatchEventsRequest { Query = query }))
                {
                    await watch.ResponseStream.MoveNext(CancellationToken.None).Bounded();
                }

                break;
        }
    }

    private static string RestPath(string method) => method switch
    {
        "ListEvents" => "/api/v1alpha1/events/list",
        "SearchEvents" => "/api/v1alpha1/events/search",
        "TodayEvents" => "/api/v1alpha1/events/today",
        _ => "/api/v1alpha1/events:watch",
    };
}
