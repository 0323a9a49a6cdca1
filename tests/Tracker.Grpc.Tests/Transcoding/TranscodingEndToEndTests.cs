using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Microsoft.Extensions.Logging;
using Tracker.Grpc.Tests.Transcoding.Protos;
using Xunit;

namespace Tracker.Grpc.Tests.Transcoding;

/// <summary>REST calls over real sockets to a Kestrel server transcoding the test WidgetService.</summary>
public sealed class TranscodingEndToEndTests : IClassFixture<TranscodingServerFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly TypeRegistry Registry = TypeRegistry.FromFiles(WidgetsReflection.Descriptor);

    private readonly TranscodingServerFixture _server;

    public TranscodingEndToEndTests(TranscodingServerFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task Get_PathVariable_ReturnsCamelCaseJsonWithEnumNamesAndNoDefaults()
    {
        using var response = await SendAsync(HttpMethod.Get, "/v1/widgets/42?view=red");

        var json = await ReadJsonAsync(response, HttpStatusCode.OK);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("""{"id":"42","name":"widget 42","color":"COLOR_RED"}""", Compact(json));
    }

    [Fact]
    public async Task Get_AdditionalBinding_BindsBothVariables()
    {
        using var response = await SendAsync(HttpMethod.Get, "/v1/shelves/top/widgets/7");

        var json = await ReadJsonAsync(response, HttpStatusCode.OK);
        Assert.Equal("widget 7 on top", json.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Post_BodyField_FillsFieldAndQueryTheRest()
    {
        using var response = await SendAsync(
            HttpMethod.Post, "/v1/widgets?request_id=r1", """{"name":"n","color":1,"labels":{"a":"b"},"count":"5","created_at":"2024-01-15T10:00:00Z"}""");

        var json = await ReadJsonAsync(response, HttpStatusCode.OK);
        Assert.Equal(
            """{"id":"w-r1","name":"n","color":"COLOR_RED","labels":{"a":"b"},"count":"5","createdAt":"2024-01-15T10:00:00Z"}""",
            Compact(json));
    }

    [Fact]
    public async Task Put_PartialBodyWithoutMask_SendsPresentPathsAsUpdateMask()
    {
        using var response = await SendAsync(HttpMethod.Put, "/v1/widgets", """{"widget":{"id":"w1","location":{"floor":2}},"etag":"e"}""");

        var labels = (await ReadJsonAsync(response, HttpStatusCode.OK)).GetProperty("labels");
        Assert.Equal("widget.id,widget.location.floor,etag", labels.GetProperty("mask").GetString());
        Assert.Equal("PUT", labels.GetProperty("method").GetString());
    }

    [Fact]
    public async Task Patch_NestedPathVariableAndBodyField_MaskExcludesPathField()
    {
        using var response = await SendAsync(HttpMethod.Patch, "/v1/widgets/w9?etag=q", """{"name":"x","id":"ignored"}""");

        var json = await ReadJsonAsync(response, HttpStatusCode.OK);
        Assert.Equal("w9", json.GetProperty("id").GetString());
        Assert.Equal("name", json.GetProperty("labels").GetProperty("mask").GetString());
        Assert.Equal("q", json.GetProperty("labels").GetProperty("etag").GetString());
    }

    [Fact]
    public async Task Delete_ReturnsEmptyObject()
    {
        using var response = await SendAsync(HttpMethod.Delete, "/v1/widgets/3");

        var json = await ReadJsonAsync(response, HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Object, json.ValueKind);
        Assert.Empty(json.EnumerateObject());
    }

    [Fact]
    public async Task List_Query_BindsEveryKindOfQueryValue()
    {
        using var response = await SendAsync(
            HttpMethod.Get,
            "/v1/widgets?color=dark_blue&tags=a&tags=b&pageSize=5&location.building=HQ&created_after=2024-01-15T10:00:00Z"
            + "&maxAge=1.5s&readMask=name,location.floor&minCount=3&colors=1&colors=COLOR_GREEN&show_deleted=true&whatever=1");

        var json = await ReadJsonAsync(response, HttpStatusCode.OK);
        Assert.Equal(
            """{"color":"COLOR_DARK_BLUE","tags":["a","b"],"pageSize":5,"location":{"building":"HQ"},"createdAfter":"2024-01-15T10:00:00Z","maxAge":"1.500s","readMask":"name,location.floor","minCount":"3","colors":["COLOR_RED","COLOR_GREEN"],"showDeleted":true}""",
            Compact(json.GetProperty("request")));
        Assert.Equal(["a", "b"], json.GetProperty("widgets").EnumerateArray().Select(w => w.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Get_ResponseBody_SendsOnlyThatField()
    {
        using var response = await SendAsync(HttpMethod.Get, "/v1/widgets/5/name");

        var json = await ReadJsonAsync(response, HttpStatusCode.OK);
        Assert.Equal("name of 5", json.GetString());
    }

    [Theory]
    [InlineData("/v1/shelves/s1/books/b%202", "shelves/s1/books/b 2")]
    [InlineData("/v1/files/a/b/c.txt", "a/b/c.txt")]
    [InlineData("/v1/files", "")]
    public async Task Get_MultiSegmentVariables_CaptureThePath(string path, string name)
    {
        using var response = await SendAsync(HttpMethod.Get, path);

        var json = await ReadJsonAsync(response, HttpStatusCode.OK);
        Assert.Equal(name, json.TryGetProperty("name", out var value) ? value.GetString() : "");
    }

    [Fact]
    public async Task Post_CustomVerb_RoutesToVerbMethod()
    {
        using var withBody = await SendAsync(HttpMethod.Post, "/v1/widgets/3:archive", """{"view":"COLOR_GREEN"}""");
        using var withoutBody = await SendAsync(HttpMethod.Post, "/v1/widgets/4:archive");

        var json = await ReadJsonAsync(withBody, HttpStatusCode.OK);
        Assert.Equal("""{"id":"3","name":"archived","color":"COLOR_GREEN"}""", Compact(json));
        Assert.Equal("4", (await ReadJsonAsync(withoutBody, HttpStatusCode.OK)).GetProperty("id").GetString());
    }

    [Fact]
    public async Task CustomHttpMethod_RoutesToCustomRule()
    {
        using var response = await SendAsync(new HttpMethod("SEARCH"), "/v1/widgets?color=green");

        var json = await ReadJsonAsync(response, HttpStatusCode.OK);
        Assert.Equal("COLOR_GREEN", json.GetProperty("request").GetProperty("color").GetString());
    }

    [Fact]
    public async Task ServerStreaming_WritesNewlineDelimitedJsonFlushedPerMessage()
    {
        var service = _server.GetService<WidgetServiceImpl>();
        service.StreamRelease = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/widgets:watch?count=3&holdAfterFirst=true");
        using var response = await _server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync().WaitAsync(Timeout));

        // The server holds the stream after the first message: it can only arrive if it was flushed.
        var first = await reader.ReadLineAsync().WaitAsync(Timeout);
        service.StreamRelease.SetResult();
        var rest = await reader.ReadToEndAsync().WaitAsync(Timeout);

        Assert.Equal("""{"id":"w0"}""", first);
        Assert.Equal("""{"id":"w1","count":"1"}""" + "\n" + """{"id":"w2","count":"2"}""" + "\n", rest);
    }

    [Fact]
    public async Task ServerStreaming_ErrorAfterMessages_EndsWithStatusLine()
    {
        using var response = await SendAsync(HttpMethod.Get, "/v1/widgets:watch?count=2&failCode=5");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lines = (await response.Content.ReadAsStringAsync().WaitAsync(Timeout)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        var status = JsonDocument.Parse(lines[2]).RootElement;
        Assert.Equal(5, status.GetProperty("code").GetInt32());
        Assert.Equal("The stream failed.", status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task ServerStreaming_ErrorBeforeMessages_AnswersMappedStatus()
    {
        using var response = await SendAsync(HttpMethod.Get, "/v1/widgets:watch?count=0&failCode=7");

        var status = await ReadJsonAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal(7, status.GetProperty("code").GetInt32());
    }

    [Theory]
    [InlineData(StatusCode.Cancelled, HttpStatusCode.RequestTimeout)]
    [InlineData(StatusCode.InvalidArgument, HttpStatusCode.BadRequest)]
    [InlineData(StatusCode.DeadlineExceeded, HttpStatusCode.GatewayTimeout)]
    [InlineData(StatusCode.NotFound, HttpStatusCode.NotFound)]
    [InlineData(StatusCode.AlreadyExists, HttpStatusCode.Conflict)]
    [InlineData(StatusCode.PermissionDenied, HttpStatusCode.Forbidden)]
    [InlineData(StatusCode.ResourceExhausted, HttpStatusCode.TooManyRequests)]
    [InlineData(StatusCode.FailedPrecondition, HttpStatusCode.BadRequest)]
    [InlineData(StatusCode.Aborted, HttpStatusCode.Conflict)]
    [InlineData(StatusCode.OutOfRange, HttpStatusCode.BadRequest)]
    [InlineData(StatusCode.Unimplemented, HttpStatusCode.NotImplemented)]
    [InlineData(StatusCode.Internal, HttpStatusCode.InternalServerError)]
    [InlineData(StatusCode.Unavailable, HttpStatusCode.ServiceUnavailable)]
    [InlineData(StatusCode.DataLoss, HttpStatusCode.InternalServerError)]
    [InlineData(StatusCode.Unauthenticated, HttpStatusCode.Unauthorized)]
    public async Task Error_RpcException_MapsToHttpStatusWithStatusBody(StatusCode code, HttpStatusCode httpStatus)
    {
        using var response = await SendAsync(HttpMethod.Post, $"/v1/fail/{(int)code}", """{"message":"it failed"}""");

        var status = await ReadJsonAsync(response, httpStatus);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal($$"""{"code":{{(int)code}},"message":"it failed"}""", Compact(status));
    }

    [Fact]
    public async Task Error_BadRequestDetails_AreTypedInStatusBody()
    {
        using var response = await SendAsync(HttpMethod.Post, "/v1/fail/3", """{"message":"bad input","violationField":"widget.name"}""");

        var status = await ReadJsonAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(
            """{"code":3,"message":"bad input","details":[{"@type":"type.googleapis.com/google.rpc.BadRequest","fieldViolations":[{"field":"widget.name","description":"is wrong"}]}]}""",
            Compact(status));
    }

    [Fact]
    public async Task Error_HandlerException_AnswersGenericUnknownAndLogs()
    {
        using var response = await SendAsync(HttpMethod.Post, "/v1/fail/2", "{}");

        var status = await ReadJsonAsync(response, HttpStatusCode.InternalServerError);
        Assert.Equal("""{"code":2,"message":"Exception was thrown by handler."}""", Compact(status));
        Assert.Contains(_server.Logs, log => log.Level == LogLevel.Error && log.Exception?.Message == "secret internal detail");
    }

    [Fact]
    public async Task Error_HandlerStatuses_FromRealHandlers()
    {
        using var notFound = await SendAsync(HttpMethod.Get, "/v1/widgets/missing");
        using var exists = await SendAsync(HttpMethod.Post, "/v1/widgets", """{"name":"duplicate"}""");
        using var aborted = await SendAsync(HttpMethod.Delete, "/v1/widgets/locked");

        Assert.Equal(5, (await ReadJsonAsync(notFound, HttpStatusCode.NotFound)).GetProperty("code").GetInt32());
        Assert.Equal(6, (await ReadJsonAsync(exists, HttpStatusCode.Conflict)).GetProperty("code").GetInt32());
        Assert.Equal(10, (await ReadJsonAsync(aborted, HttpStatusCode.Conflict)).GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Error_BadQueryValue_Answers400NamingTheKey()
    {
        using var response = await SendAsync(HttpMethod.Get, "/v1/widgets?pageSize=lots");

        var status = await ReadJsonAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(
            """{"code":3,"message":"Invalid value for 'pageSize': expected a 32-bit integer","details":[{"@type":"type.googleapis.com/google.rpc.BadRequest","fieldViolations":[{"field":"pageSize","description":"expected a 32-bit integer"}]}]}""",
            Compact(status));
    }

    [Fact]
    public async Task Error_RepeatedScalarQueryKey_Answers400()
    {
        using var response = await SendAsync(HttpMethod.Get, "/v1/widgets?color=red&color=green");

        var status = await ReadJsonAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("Invalid value for 'color': expected one value, got 2", status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Error_MalformedJson_Answers400WithoutExceptionText()
    {
        using var response = await SendAsync(HttpMethod.Post, "/v1/widgets", """{"name": "n",""");

        var status = await ReadJsonAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("""{"code":3,"message":"The request body is not valid JSON (line 1, byte 13)."}""", Compact(status));
    }

    [Fact]
    public async Task Error_UnknownBodyField_Answers400NamingIt()
    {
        using var response = await SendAsync(HttpMethod.Post, "/v1/widgets", """{"name":"n","colour":"red"}""");

        var status = await ReadJsonAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("Invalid value for 'widget.colour': unknown field of transcoding.test.v1.Widget", status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Error_UnknownPath_Answers404StatusBody()
    {
        using var response = await SendAsync(HttpMethod.Get, "/v2/nothing/here");

        var status = await ReadJsonAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("""{"code":5,"message":"No route matches GET /v2/nothing/here."}""", Compact(status));
    }

    [Fact]
    public async Task Error_ClientStreamingMethod_IsNotRouted()
    {
        using var response = await SendAsync(HttpMethod.Post, "/v1/upload", "{}");

        await ReadJsonAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Error_WrongHttpMethod_Answers405WithAllowHeader()
    {
        using var response = await SendAsync(HttpMethod.Post, "/v1/widgets/5", "{}");

        var status = await ReadJsonAsync(response, HttpStatusCode.MethodNotAllowed);
        Assert.Equal(["DELETE", "GET", "PATCH"], response.Content.Headers.Allow.Order());
        Assert.Equal(12, status.GetProperty("code").GetInt32());
        Assert.Equal("Method POST is not allowed on /v1/widgets/5; allowed: GET, PATCH, DELETE.", status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Error_WrongContentType_Answers415()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/widgets")
        {
            Content = new StringContent("name=n", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        using var response = await _server.Client.SendAsync(request).WaitAsync(Timeout);

        var status = await ReadJsonAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(3, status.GetProperty("code").GetInt32());
        Assert.Contains("application/json", status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Error_BodyOver4MiB_Answers413()
    {
        var body = $$"""{"name":"{{new string('x', (4 * 1024 * 1024) + 1)}}"}""";

        using var response = await SendAsync(HttpMethod.Post, "/v1/widgets", body);

        var status = await ReadJsonAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("""{"code":8,"message":"The request body is larger than the limit of 4194304 bytes."}""", Compact(status));
    }

    [Fact]
    public async Task GrpcRequest_ToUnknownPath_IsLeftToTheGrpcTransport()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/transcoding.test.v1.Nope/Call")
        {
            Content = new ByteArrayContent([0, 0, 0, 0, 0]),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        using var response = await _server.Client.SendAsync(request).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync().WaitAsync(Timeout));
    }

    [Fact]
    public async Task Echo_RichBody_RoundTripsLikeJsonFormatter()
    {
        var formatter = new JsonFormatter(JsonFormatter.Settings.Default.WithTypeRegistry(Registry));
        var rich = ProtoJsonReaderDifferentialTests.FullRich();

        using var response = await SendAsync(HttpMethod.Post, "/v1/echo", formatter.Format(rich));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var expected = JsonDocument.Parse(formatter.Format(rich)).RootElement;
        Assert.Equal(Compact(expected), await response.Content.ReadAsStringAsync().WaitAsync(Timeout));
    }

    [Fact]
    public async Task EchoQuery_ScalarsFromQuery_BindLikeTheirJsonForms()
    {
        using var response = await SendAsync(
            HttpMethod.Get,
            "/v1/echo?int64Value=-9007199254740993&uint32_value=4000000000&floatValue=NaN&doubleValue=-1.5e3&boolValue=true"
            + "&bytesValue=AAEC-v8&stringValue=h%C3%A9&repeatedColor=red&repeatedColor=COLOR_GREEN&inner.child.name=deep"
            + "&int32Wrapper=0&stringWrapper=&timestamp=2024-01-15T10:00:00.5%2B02:00&repeatedTimestamp=2000-01-01T00:00:00Z&choiceText=t");

        var json = await ReadJsonAsync(response, HttpStatusCode.OK);
        Assert.Equal(
            """{"int64Value":"-9007199254740993","uint32Value":4000000000,"floatValue":"NaN","doubleValue":-1500,"boolValue":true,"stringValue":"hé","bytesValue":"AAEC+v8=","inner":{"child":{"name":"deep"}},"repeatedColor":["COLOR_RED","COLOR_GREEN"],"choiceText":"t","timestamp":"2024-01-15T08:00:00.500Z","int32Wrapper":0,"stringWrapper":"","repeatedTimestamp":["2000-01-01T00:00:00Z"]}""",
            Compact(json));
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? jsonBody = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (jsonBody is not null)
        {
            request.Content = new StringContent(jsonBody, Encoding.UTF8, "application/json");
        }

        using (request)
        {
            return await _server.Client.SendAsync(request).WaitAsync(Timeout);
        }
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync().WaitAsync(Timeout);
        Assert.True(expected == response.StatusCode, $"Expected {expected}, got {response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static string Compact(JsonElement json) => JsonSerializer.Serialize(json, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
