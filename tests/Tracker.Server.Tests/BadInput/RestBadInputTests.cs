using System.Net;
using System.Text;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.BadInput;

/// <summary>
/// Whole classes of bad REST input: each answers 400 with a google.rpc.Status body
/// (INVALID_ARGUMENT), never a 500, and logs no Error with a stack trace (DESIGN §3).
/// </summary>
public sealed class RestBadInputTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private const string Create = "/api/v1alpha1/event";

    private readonly HttpClient _http = factory.CreateClient();

    /// <summary>A lone UTF-16 surrogate escape in each kind of JSON string the API reads.</summary>
    [Theory]
    [InlineData("""{"title":"\ud800","attributes":{"type":1,"service":"api"}}""")]
    [InlineData("""{"title":"a\udc00b","attributes":{"type":1,"service":"api"}}""")]
    [InlineData("""{"title":"t","attributes":{"type":1,"service":"api","labels":{"\ud800":"v"}}}""")]
    [InlineData("""{"title":"t","attributes":{"type":1,"service":"api","labels":{"k":"\udfff"}}}""")]
    [InlineData("""{"title":"t","attributes":{"type":1,"service":"api","stakeHolders":["\ud800"]}}""")]
    [InlineData("""{"title":"t","attributes":{"type":1,"service":"api","resources":[{"kind":"\ud800"}]}}""")]
    [InlineData("""{"title":"t","attributes":{"type":"\ud800","service":"api"}}""")]
    [InlineData("""{"title":"t","attributes":{"type":1,"service":"api","startDate":"\ud800"}}""")]
    [InlineData("""{"title":"t","links":{"ticket":"\ud800"},"attributes":{"type":1,"service":"api"}}""")]
    [InlineData("""{"\ud800":"t"}""")]
    public async Task PostEvent_LoneSurrogateInAString_400(string body)
    {
        await AssertRefusedAsync(() => _http.PostRestAsync(Create, body));
    }

    [Fact]
    public async Task PutEvent_LoneSurrogateInUpdateMask_400()
    {
        await AssertRefusedAsync(() => _http.PutRestAsync(Create, $$"""{"id":"{{Guid.NewGuid()}}","updateMask":"title\ud800"}"""));
    }

    /// <summary>Bytes that are not UTF-8: a stray continuation byte, an overlong form, a truncated sequence, an encoded surrogate.</summary>
    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFE })]
    [InlineData(new byte[] { 0x80 })]
    [InlineData(new byte[] { 0xC0, 0xAF })]
    [InlineData(new byte[] { 0xE2, 0x82 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    public async Task PostEvent_InvalidUtf8InTitle_400(byte[] invalid)
    {
        byte[] body = [.. "{\"title\":\"a"u8, .. invalid, .. "b\",\"attributes\":{\"type\":1,\"service\":\"api\"}}"u8];

        await AssertRefusedAsync(() => _http.SendBytesAsync(HttpMethod.Post, Create, body));
    }

    [Fact]
    public async Task PostEvent_InvalidUtf8InPropertyName_400()
    {
        byte[] body = [.. "{\"ti"u8, 0xFF, .. "tle\":\"t\"}"u8];

        await AssertRefusedAsync(() => _http.SendBytesAsync(HttpMethod.Post, Create, body));
    }

    /// <summary>Quoted integers that proto3 JSON does not allow: padded, signed, hexadecimal, fractional, empty, out of range.</summary>
    [Theory]
    [InlineData("\" 42\"")]
    [InlineData("\"42 \"")]
    [InlineData("\"+42\"")]
    [InlineData("\"0x2A\"")]
    [InlineData("\"4.5\"")]
    [InlineData("\"\"")]
    [InlineData("\"99999999999\"")]
    [InlineData("99999999999")]
    [InlineData("4.5")]
    [InlineData("true")]
    public async Task PostEvent_MalformedInt32Code_400(string code)
    {
        await AssertRefusedAsync(() => _http.PostRestAsync(Create, $$$"""{"title":"t","attributes":{"type":1,"service":"api","code":{{{code}}}}}"""));
    }

    [Theory]
    [InlineData("\"NOPE\"")]
    [InlineData("\"type_deployment\"")]
    [InlineData("\"PRIORITY_P1\"")]
    public async Task PostEvent_UnknownEnumNameInBody_400(string type)
    {
        await AssertRefusedAsync(() => _http.PostRestAsync(Create, $$$"""{"title":"t","attributes":{"type":{{{type}}},"service":"api"}}"""));
    }

    [Fact]
    public async Task PostEvent_UndefinedEnumNumberInBody_400NamingTheField()
    {
        var status = await AssertRefusedAsync(() => _http.PostRestAsync(Create, """{"title":"t","attributes":{"type":99,"service":"api"}}"""));

        Assert.Equal("attributes.type", status.GetProperty("details")[0].GetProperty("fieldViolations")[0].GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("type=NOPE")]
    [InlineData("type=99")]
    [InlineData("priority=TYPE_DEPLOYMENT")]
    [InlineData("environment=")]
    public async Task SearchEvents_UnknownEnumInQuery_400(string query)
    {
        await AssertRefusedAsync(() => _http.GetRestAsync($"/api/v1alpha1/events/search?{query}"));
    }

    [Theory]
    [InlineData("/api/v1alpha1/events/list?perPage=lots")]
    [InlineData("/api/v1alpha1/events/list?perPage=1&perPage=2")]
    [InlineData("/api/v1alpha1/events/list?perPage=99999999999")]
    [InlineData("/api/v1alpha1/events/search?startDate=yesterday")]
    [InlineData("/api/v1alpha1/events/today?timeZone=Mars/Olympus")]
    [InlineData("/api/v1alpha1/events/list?orderBy=labels")]
    public async Task Query_MalformedValue_400(string path)
    {
        await AssertRefusedAsync(() => _http.GetRestAsync(path));
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"title\"")]
    [InlineData("{\"title\": \"n\",")]
    [InlineData("{\"title\":\"t\"}}")]
    [InlineData("{\"title\":1}")]
    [InlineData("{\"attributes\":[]}")]
    [InlineData("{\"attributes\":{\"notification\":\"yes\"}}")]
    [InlineData("{\"attributes\":{\"startDate\":\"yesterday\"}}")]
    [InlineData("{\"attributes\":{\"labels\":{\"k\":1}}}")]
    public async Task PostEvent_MalformedJson_400(string body)
    {
        await AssertRefusedAsync(() => _http.PostRestAsync(Create, body));
    }

    [Fact]
    public async Task PostEvent_DeeplyNestedJson_400()
    {
        var body = "{\"title\":\"t\",\"attributes\":" + string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_001);

        await AssertRefusedAsync(() => _http.PostRestAsync(Create, body));
    }

    [Fact]
    public async Task PostEvent_FormContentType_400()
    {
        await AssertRefusedAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Create) { Content = new StringContent("title=t", Encoding.UTF8, "application/x-www-form-urlencoded") };
            using var response = await _http.SendAsync(request).Bounded();
            return new RestResponse(response.StatusCode, await response.Content.ReadAsStringAsync().Bounded(), response.Content.Headers.ContentType?.MediaType);
        });
    }

    [Fact]
    public async Task ListEvents_AlteredOrTruncatedPageToken_400NamingPageToken()
    {
        await _http.PostRestAsync(Create, TestEvents.DeploymentJson(TestEvents.UniqueService()));
        await _http.PostRestAsync(Create, TestEvents.DeploymentJson(TestEvents.UniqueService()));
        var token = (await _http.GetRestAsync("/api/v1alpha1/events/list?pageSize=1")).Expect(HttpStatusCode.OK).GetProperty("nextPageToken").GetString()!;

        foreach (var bad in PageTokens.Corrupted(token))
        {
            var status = await AssertRefusedAsync(() => _http.GetRestAsync($"/api/v1alpha1/events/list?pageSize=1&pageToken={Uri.EscapeDataString(bad)}"));
            Assert.Equal("page_token", status.GetProperty("details")[0].GetProperty("fieldViolations")[0].GetProperty("field").GetString());
        }
    }

    [Fact]
    public async Task SearchEvents_PageTokenOfAnotherQuery_400()
    {
        var service = TestEvents.UniqueService();
        await _http.PostRestAsync(Create, TestEvents.DeploymentJson(service));
        await _http.PostRestAsync(Create, TestEvents.DeploymentJson(service));
        var token = (await _http.GetRestAsync($"/api/v1alpha1/events/search?service={service}&pageSize=1")).Expect(HttpStatusCode.OK).GetProperty("nextPageToken").GetString()!;

        await AssertRefusedAsync(() => _http.GetRestAsync($"/api/v1alpha1/events/search?service=other&pageSize=1&pageToken={Uri.EscapeDataString(token)}"));
    }

    /// <summary>400, a google.rpc.Status body with INVALID_ARGUMENT and a message, and no Error log with an exception.</summary>
    private async Task<System.Text.Json.JsonElement> AssertRefusedAsync(Func<Task<RestResponse>> send)
    {
        var mark = factory.Logs.Mark();

        var response = await send();

        var status = response.Expect(HttpStatusCode.BadRequest);
        Assert.Equal("application/json", response.MediaType);
        Assert.Equal(3, status.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(status.GetProperty("message").GetString()));
        Assert.DoesNotContain(" at ", status.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(factory.Logs.ErrorsWithExceptionsSince(mark));
        return status;
    }
}
