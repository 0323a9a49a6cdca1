using System.Net;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Tracker.Api.V1Alpha1;
using Tracker.Server.Tests.Support;
using StatusCode = Grpc.Core.StatusCode;

namespace Tracker.Server.Tests.Api;

/// <summary>
/// The google.rpc.Status errors of EventService, on both transports: gRPC clients read them from
/// grpc-status-details-bin (Grpc.StatusProto's GetRpcStatus), REST clients get the same Status as
/// the JSON body, with the HTTP status JSON transcoding maps the code to.
/// </summary>
public sealed class ErrorStatusTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private const string BadRequestType = "type.googleapis.com/google.rpc.BadRequest";

    private readonly EventService.EventServiceClient _client = factory.CreateGrpcClient();
    private readonly HttpClient _http = factory.CreateClient();

    [Fact]
    public async Task CreateEvent_EndBeforeStartOverGrpc_InvalidArgumentWithFieldViolation()
    {
        var request = TestEvents.Deployment();
        request.Attributes.EndDate = Timestamp.FromDateTime(new DateTime(2024, 1, 15, 9, 0, 0, DateTimeKind.Utc));

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.CreateEventAsync(request).Bounded());

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var status = error.GetRpcStatus();
        Assert.NotNull(status);
        Assert.Equal((int)Code.InvalidArgument, status.Code);
        Assert.Equal("Invalid event: attributes.end_date must not be before attributes.start_date", status.Message);
        var violation = Assert.Single(status.GetDetail<BadRequest>()!.FieldViolations);
        Assert.Equal("attributes.end_date", violation.Field);
        Assert.Equal("OUT_OF_RANGE", violation.Reason);
    }

    [Fact]
    public async Task PostEvent_EndBeforeStartOverRest_400WithStatusBody()
    {
        var body = TestEvents.DeploymentJson(TestEvents.UniqueService(), endDate: "2024-01-15T09:00:00Z");

        var response = await _http.PostRestAsync("/api/v1alpha1/event", body);

        var status = response.Expect(HttpStatusCode.BadRequest);
        Assert.Equal("application/json", response.MediaType);
        Assert.Equal(3, status.GetProperty("code").GetInt32());
        Assert.Equal("Invalid event: attributes.end_date must not be before attributes.start_date", status.GetProperty("message").GetString());
        var detail = Assert.Single(status.GetProperty("details").EnumerateArray());
        Assert.Equal(BadRequestType, detail.GetProperty("@type").GetString());
        var violation = Assert.Single(detail.GetProperty("fieldViolations").EnumerateArray());
        Assert.Equal("attributes.end_date", violation.GetProperty("field").GetString());
        Assert.Equal("must not be before attributes.start_date", violation.GetProperty("description").GetString());
    }

    [Fact]
    public async Task CreateEvent_NothingSet_EveryRequiredFieldIsNamedOnBothTransports()
    {
        var grpcError = await Assert.ThrowsAsync<RpcException>(() => _client.CreateEventAsync(new CreateEventRequest()).Bounded());
        var rest = (await _http.PostRestAsync("/api/v1alpha1/event", "{}")).Expect(HttpStatusCode.BadRequest);

        string[] expected = ["title", "attributes.type", "attributes.service"];
        Assert.Equal(expected, grpcError.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field));
        Assert.Equal(expected, rest.GetProperty("details")[0].GetProperty("fieldViolations").EnumerateArray().Select(v => v.GetProperty("field").GetString()));
    }

    [Fact]
    public async Task GetEvent_UnknownId_NotFoundWithResourceInfoOnBothTransports()
    {
        var id = Guid.NewGuid().ToString();

        var grpcError = await Assert.ThrowsAsync<RpcException>(() => _client.GetEventAsync(new GetEventRequest { Id = id }).Bounded());
        var rest = (await _http.GetRestAsync($"/api/v1alpha1/event/{id}")).Expect(HttpStatusCode.NotFound);

        Assert.Equal(StatusCode.NotFound, grpcError.StatusCode);
        Assert.Equal(id, grpcError.GetRpcStatus()!.GetDetail<ResourceInfo>()!.ResourceName);
        Assert.Equal(5, rest.GetProperty("code").GetInt32());
        Assert.Equal($"Event '{id}' was not found.", rest.GetProperty("message").GetString());
        Assert.Equal("type.googleapis.com/google.rpc.ResourceInfo", rest.GetProperty("details")[0].GetProperty("@type").GetString());
    }

    [Fact]
    public async Task UpdateEvent_StaleEtag_AbortedOverGrpcAnd409OverRest()
    {
        var created = await _client.CreateEventAsync(TestEvents.Deployment()).Bounded();

        var grpcError = await Assert.ThrowsAsync<RpcException>(() =>
            _client.UpdateEventAsync(new UpdateEventRequest { Id = created.Id, Title = "x", Etag = "stale" }).Bounded());
        var rest = (await _http.PutRestAsync("/api/v1alpha1/event", $$"""{"id":"{{created.Id}}","title":"x","etag":"stale"}""")).Expect(HttpStatusCode.Conflict);

        Assert.Equal(StatusCode.Aborted, grpcError.StatusCode);
        Assert.Equal("ETAG_MISMATCH", grpcError.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason);
        Assert.Equal(10, rest.GetProperty("code").GetInt32());
        Assert.Equal("ETAG_MISMATCH", rest.GetProperty("details")[0].GetProperty("reason").GetString());
        Assert.Equal(created, await _client.GetEventAsync(new GetEventRequest { Id = created.Id }).Bounded());
    }

    [Fact]
    public async Task DeleteEvent_StaleEtag_AbortedAndTheEventStays()
    {
        var created = await _client.CreateEventAsync(TestEvents.Deployment()).Bounded();

        var grpcError = await Assert.ThrowsAsync<RpcException>(() =>
            _client.DeleteEventAsync(new DeleteEventRequest { Id = created.Id, Etag = "stale" }).Bounded());

        Assert.Equal(StatusCode.Aborted, grpcError.StatusCode);
        Assert.Equal(created, await _client.GetEventAsync(new GetEventRequest { Id = created.Id }).Bounded());
    }

    [Fact]
    public async Task ListEvents_NegativePerPage_InvalidArgumentNamingTheFieldOnBothTransports()
    {
        var grpcError = await Assert.ThrowsAsync<RpcException>(() => _client.ListEventsAsync(new ListEventsRequest { PerPage = -1 }).Bounded());
        var rest = (await _http.GetRestAsync("/api/v1alpha1/events/list?perPage=-1")).Expect(HttpStatusCode.BadRequest);

        Assert.Equal("per_page", Assert.Single(grpcError.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations).Field);
        Assert.Equal("per_page", rest.GetProperty("details")[0].GetProperty("fieldViolations")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task Rest_UnknownPath_404()
    {
        var response = await _http.GetRestAsync("/api/v1alpha1/nothing/here");

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
    }

    [Fact]
    public async Task Rest_WrongHttpMethod_405()
    {
        var response = await _http.SendRestAsync(HttpMethod.Patch, "/api/v1alpha1/event", "{}");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.Status);
    }

    [Fact]
    public async Task Grpc_UnknownMethod_Unimplemented()
    {
        var response = await RawGrpc.SendAsync(factory.Server.CreateClient(), "tracker.event.v1alpha1.EventService", "Nope", RawGrpc.Frame([]));

        Assert.Equal(StatusCode.Unimplemented, response.GrpcStatus);
    }

    [Fact]
    public async Task StatusBody_IsValidJsonWithoutStackTrace()
    {
        var response = await _http.GetRestAsync($"/api/v1alpha1/event/{Guid.NewGuid()}");

        using var document = JsonDocument.Parse(response.Body);
        Assert.DoesNotContain("   at ", response.Body, StringComparison.Ordinal);
        Assert.Equal(["code", "message", "details"], document.RootElement.EnumerateObject().Select(p => p.Name));
    }
}
