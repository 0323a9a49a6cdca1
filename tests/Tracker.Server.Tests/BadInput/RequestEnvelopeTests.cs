using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Grpc.Core;
using Tracker.Api.V1Alpha1;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.BadInput;

/// <summary>
/// What surrounds a REST body (its charset, the path and method) and events whose fields are each
/// valid but together are not storable: each refused with a google.rpc.Status body naming the
/// rule, never a 500, and nothing stored.
/// </summary>
public sealed class RequestEnvelopeTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private const string ValidBody = """{"title":"t","attributes":{"type":1,"service":"charset-checks"}}""";

    private readonly HttpClient _http = factory.CreateClient();

    [Theory]
    [InlineData("application/json; charset=bogus")]
    [InlineData("application/json; charset=")]
    [InlineData("application/json; charset=ebcdic-cp-us")]
    [InlineData("application/json; charset=utf-16")]
    public async Task PostEvent_CharsetOtherThanUtf8_415WithStatus(string contentType)
    {
        var mark = factory.Logs.Mark();

        var response = await PostAsync(contentType);

        var status = response.Expect(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal((int)StatusCode.InvalidArgument, status.GetProperty("code").GetInt32());
        Assert.Contains("utf-8", status.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(factory.Logs.ErrorsWithExceptionsSince(mark));
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json; charset=\"UTF-8\"")]
    public async Task PostEvent_Utf8OrNoCharset_Created(string contentType)
    {
        var response = await PostAsync(contentType);

        response.Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Get_UnknownApiPath_404WithNotFoundStatus()
    {
        var response = await _http.GetRestAsync("/api/v1alpha1/nothing");

        var status = response.Expect(HttpStatusCode.NotFound);
        Assert.Equal((int)StatusCode.NotFound, status.GetProperty("code").GetInt32());
        Assert.Contains("/api/v1alpha1/nothing", status.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_ApiPathWithoutThatMethod_405WithUnimplementedStatus()
    {
        var response = await _http.SendRestAsync(HttpMethod.Patch, "/api/v1alpha1/event", ValidBody);

        var status = response.Expect(HttpStatusCode.MethodNotAllowed);
        Assert.Equal((int)StatusCode.Unimplemented, status.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task CreateEvent_LongerThanJsonCanWrite_InvalidOnEndDateAndNothingStored()
    {
        var service = TestEvents.UniqueService();
        var body = $$$"""{"title":"t","attributes":{"type":1,"service":"{{{service}}}","startDate":"0001-01-01T00:00:00Z","endDate":"9999-12-31T23:59:59Z"}}""";

        var response = await _http.PostRestAsync("/api/v1alpha1/event", body);

        var status = response.Expect(HttpStatusCode.BadRequest);
        Assert.Contains("attributes.end_date", status.ToString(), StringComparison.Ordinal);
        var found = await factory.CreateGrpcClient().SearchEventsAsync(new SearchEventsRequest { Service = service }).Bounded();
        Assert.Empty(found.Events);
    }

    private async Task<RestResponse> PostAsync(string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1alpha1/event") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(ValidBody)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var response = await _http.SendAsync(request).Bounded();
        return new RestResponse(response.StatusCode, await response.Content.ReadAsStringAsync().Bounded(), response.Content.Headers.ContentType?.MediaType);
    }
}
