using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Http;
using Tracker.Grpc.Tests.Transcoding.Protos;
using Tracker.Grpc.Transcoding;
using Xunit;

namespace Tracker.Grpc.Tests.Transcoding;

public sealed class HttpRequestBinderTests
{
    private static readonly TranscodingRouteTable Table = new(TranscodingRouteBuilder.Build(ServiceBinder.Bind<WidgetServiceImpl>(WidgetServiceImpl.Descriptor)));
    private static readonly JsonParser WellKnownParser = new(JsonParser.Settings.Default.WithTypeRegistry(TypeRegistry.FromFiles(WidgetsReflection.Descriptor)));
    private static readonly HttpRequestBinder Binder = new(new FieldTextConverter(WellKnownParser), new ProtoJsonReader(WellKnownParser, false), 1024);

    [Fact]
    public async Task BindAsync_Query_BindsEnumsRepeatedNestedAndWellKnownTypes()
    {
        var request = await BindAsync<ListWidgetsRequest>(
            "GET",
            "/v1/widgets?color=dark_blue&tags=a&tags=b&page_size=10&location.building=HQ&location.floor=-2"
            + "&createdAfter=2024-01-15T10:00:00Z&maxAge=3.5s&readMask=name,location.floor&minCount=7"
            + "&colors=COLOR_RED&colors=2&colors=Green&showDeleted=true&big=18446744073709551615&ratio=0.5&unknown=ignored&location.nope=1");

        Assert.Equal(Color.DarkBlue, request.Color);
        Assert.Equal(["a", "b"], request.Tags);
        Assert.Equal(10, request.PageSize);
        Assert.Equal(new Location { Building = "HQ", Floor = -2 }, request.Location);
        Assert.Equal(Timestamp.FromDateTimeOffset(new DateTimeOffset(2024, 1, 15, 10, 0, 0, TimeSpan.Zero)), request.CreatedAfter);
        Assert.Equal(Duration.FromTimeSpan(TimeSpan.FromSeconds(3.5)), request.MaxAge);
        Assert.Equal(["name", "location.floor"], request.ReadMask.Paths);
        Assert.Equal(7, request.MinCount);
        Assert.Equal([Color.Red, Color.Green, Color.Green], request.Colors);
        Assert.True(request.ShowDeleted);
        Assert.Equal(ulong.MaxValue, request.Big);
        Assert.Equal(0.5, request.Ratio);
    }

    [Theory]
    [InlineData("color=COLOR_GREEN")]
    [InlineData("color=2")]
    [InlineData("color=green")]
    [InlineData("color=GREEN")]
    [InlineData("color=color_green")]
    public async Task BindAsync_QueryEnum_AcceptsNameNumberAndShortName(string query)
    {
        var request = await BindAsync<ListWidgetsRequest>("GET", "/v1/widgets?" + query);

        Assert.Equal(Color.Green, request.Color);
    }

    [Theory]
    [InlineData("page_size=1&pageSize=2", "pageSize", "expected one value, got 2")]
    [InlineData("color=purple", "color", "unknown value 'purple' for enum transcoding.test.v1.Color")]
    [InlineData("page_size=ten", "page_size", "expected a 32-bit integer")]
    [InlineData("page_size=", "page_size", "expected a 32-bit integer")]
    [InlineData("showDeleted=yes", "showDeleted", "expected true or false")]
    [InlineData("big=-1", "big", "expected an unsigned 64-bit integer")]
    [InlineData("createdAfter=2024-01-15", "createdAfter", "expected an RFC 3339 timestamp such as \"2024-01-15T10:00:00Z\"")]
    [InlineData("maxAge=5m", "maxAge", "expected a duration in seconds such as \"1.5s\"")]
    [InlineData("minCount=many", "minCount", "expected an integer in range")]
    [InlineData("location=x", "location", "a message or map field cannot be set from a query parameter")]
    public async Task BindAsync_BadQueryValue_ThrowsInvalidArgumentNamingTheKey(string query, string key, string description)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => BindAsync<ListWidgetsRequest>("GET", "/v1/widgets?" + query));

        Assert.Equal(StatusCode.InvalidArgument, error.Code);
        var violation = Assert.IsType<Google.Rpc.BadRequest>(Assert.Single(error.Details)).FieldViolations.Single();
        Assert.Equal(key, violation.Field);
        Assert.Equal(description, violation.Description);
    }

    [Fact]
    public async Task BindAsync_PathVariables_BindNestedFieldAndMultiSegmentValues()
    {
        var shelved = await BindAsync<GetWidgetRequest>("GET", "/v1/shelves/top%20shelf/widgets/42?view=red&id=ignored&shelf=ignored");
        var resource = await BindAsync<GetResourceRequest>("GET", "/v1/files/a/b%2Fc/d.txt");

        Assert.Equal(new GetWidgetRequest { Shelf = "top shelf", Id = "42", View = Color.Red }, shelved);
        Assert.Equal("a/b%2Fc/d.txt", resource.Name);
    }

    [Fact]
    public async Task BindAsync_BodyField_PathWinsAndMaskIsRelativeToTheResource()
    {
        var request = await BindAsync<UpdateWidgetRequest>(
            "PATCH",
            "/v1/widgets/w7?etag=abc",
            """{"id": "other", "name": "n", "location": {"floor": 3}, "labels": {"a": "b"}, "tags": []}""");

        Assert.Equal("w7", request.Widget.Id);
        Assert.Equal("n", request.Widget.Name);
        Assert.Equal("abc", request.Etag);
        Assert.Equal(["name", "location.floor", "labels", "tags"], request.UpdateMask.Paths);
    }

    [Fact]
    public async Task BindAsync_WholeBodyWithoutMask_FillsMaskWithPresentPaths()
    {
        var request = await BindAsync<UpdateWidgetRequest>(
            "PUT",
            "/v1/widgets?etag=from-query",
            """{"widget": {"id": "w1", "color": "COLOR_RED", "createdAt": "2024-01-01T00:00:00Z"}, "etag": "e1"}""");

        Assert.Equal(["widget.id", "widget.color", "widget.created_at", "etag"], request.UpdateMask.Paths);
        Assert.Equal("e1", request.Etag);
    }

    [Theory]
    [InlineData("""{"widget": {"name": "n"}, "updateMask": "widget.color"}""", "widget.color")]
    [InlineData("""{"widget": {"name": "n"}, "update_mask": ""}""", "")]
    public async Task BindAsync_MaskGivenByClient_IsKept(string body, string expectedMask)
    {
        var request = await BindAsync<UpdateWidgetRequest>("PUT", "/v1/widgets", body);

        Assert.Equal(expectedMask, string.Join(",", request.UpdateMask.Paths));
    }

    [Fact]
    public async Task BindAsync_MaskGivenInQuery_IsKept()
    {
        var request = await BindAsync<UpdateWidgetRequest>("PATCH", "/v1/widgets/w1?updateMask=color", """{"name": "n", "color": 2}""");

        Assert.Equal(["color"], request.UpdateMask.Paths);
        Assert.Equal(new Widget { Id = "w1", Name = "n", Color = Color.Green }, request.Widget);
    }

    [Fact]
    public async Task BindAsync_EmptyBody_LeavesMaskUnset()
    {
        var request = await BindAsync<UpdateWidgetRequest>("PUT", "/v1/widgets", "{}");

        Assert.Null(request.UpdateMask);
    }

    [Fact]
    public async Task BindAsync_WholeBody_IgnoresQuery()
    {
        var request = await BindAsync<GetWidgetRequest>("POST", "/v1/widgets/9:archive?view=COLOR_RED", """{"shelf": "s"}""");

        Assert.Equal(new GetWidgetRequest { Id = "9", Shelf = "s" }, request);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/json; charset=latin1")]
    public async Task BindAsync_BodyWithWrongContentType_Throws415(string contentType)
    {
        var error = await Assert.ThrowsAsync<TranscodingHttpException>(
            () => BindAsync<CreateWidgetRequest>("POST", "/v1/widgets", """{"name": "n"}""", contentType));

        Assert.Equal(StatusCodes.Status415UnsupportedMediaType, error.HttpStatus);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON; charset=UTF-8")]
    public async Task BindAsync_JsonContentType_Accepted(string contentType)
    {
        var request = await BindAsync<CreateWidgetRequest>("POST", "/v1/widgets", """{"name": "n"}""", contentType);

        Assert.Equal("n", request.Widget.Name);
    }

    [Fact]
    public async Task BindAsync_BodyOverLimit_Throws413()
    {
        var body = $$"""{"name": "{{new string('x', 2000)}}"}""";

        var error = await Assert.ThrowsAsync<TranscodingHttpException>(() => BindAsync<CreateWidgetRequest>("POST", "/v1/widgets", body));

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, error.HttpStatus);
        Assert.Equal(StatusCode.ResourceExhausted, error.Code);
    }

    [Theory]
    [InlineData("{\"name\": ", "The request body is not valid JSON (line 1, byte 10).")]
    [InlineData("{\"name\": \"n\",\n}", "The request body is not valid JSON (line 2, byte 1).")]
    [InlineData("nope", "The request body is not valid JSON (line 1, byte 2).")]
    public async Task BindAsync_MalformedJson_ThrowsInvalidArgumentWithPosition(string body, string message)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => BindAsync<CreateWidgetRequest>("POST", "/v1/widgets", body));

        Assert.Equal(StatusCode.InvalidArgument, error.Code);
        Assert.Equal(message, error.Detail);
    }

    private static async Task<T> BindAsync<T>(string method, string target, string? body = null, string contentType = "application/json")
        where T : IMessage
    {
        var context = new DefaultHttpContext();
        var question = target.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? target : target[..question];
        context.Request.Method = method;
        context.Request.Path = new PathString(Uri.UnescapeDataString(path));
        context.Request.QueryString = question < 0 ? QueryString.Empty : new QueryString(target[question..]);
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = contentType;
        }

        var match = Table.Match(method, path);
        Assert.NotNull(match.Route);
        var message = await Binder.BindAsync(match.Route, match.Values, context.Request, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        return Assert.IsType<T>(message);
    }
}
