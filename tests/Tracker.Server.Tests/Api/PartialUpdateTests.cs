using System.Net;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Tracker.Api.V1Alpha1;
using Tracker.Server.Tests.Support;
using EventStatus = Tracker.Api.V1Alpha1.Status;

namespace Tracker.Server.Tests.Api;

/// <summary>
/// Update merges (DESIGN §3): without update_mask only the fields present in the request change
/// (REST: present in the JSON body, carried by proto3 optional presence); with one, only its paths.
/// </summary>
public sealed class PartialUpdateTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly HttpClient _http = factory.CreateClient();
    private readonly EventService.EventServiceClient _client = factory.CreateGrpcClient();

    [Fact]
    public async Task PutEvent_OnlyTitle_LeavesEverythingElse()
    {
        var created = await CreateAsync();

        var updated = (await _http.PutRestAsync("/api/v1alpha1/event", $$"""{"id":"{{Id(created)}}","title":"New title"}""")).Expect(HttpStatusCode.OK);

        Assert.Equal("New title", updated.GetProperty("title").GetString());
        Assert.Equal(created.GetProperty("attributes").GetRawText(), updated.GetProperty("attributes").GetRawText());
        Assert.Equal(created.GetProperty("links").GetRawText(), updated.GetProperty("links").GetRawText());
    }

    [Fact]
    public async Task PutEvent_NotificationFalse_CountsAsPresentAndIsSet()
    {
        var created = await CreateAsync();
        Assert.True(created.GetProperty("attributes").GetProperty("notification").GetBoolean());

        var updated = (await _http.PutRestAsync("/api/v1alpha1/event", $$$"""{"id":"{{{Id(created)}}}","attributes":{"notification":false}}""")).Expect(HttpStatusCode.OK);

        var attributes = updated.GetProperty("attributes");
        Assert.False(attributes.GetProperty("notification").GetBoolean());
        Assert.Equal(created.GetProperty("title").GetString(), updated.GetProperty("title").GetString());
        Assert.Equal("platform", attributes.GetProperty("owner").GetString());
        Assert.Equal("STATUS_START", attributes.GetProperty("status").GetString());
        Assert.Equal(42, attributes.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task PutEvent_SomeAttributes_ChangesOnlyThose()
    {
        var created = await CreateAsync();

        var updated = (await _http.PutRestAsync(
            "/api/v1alpha1/event",
            $$$"""{"id":"{{{Id(created)}}}","attributes":{"status":"STATUS_SUCCESS","code":0},"links":{"pullRequestLink":"https://git.example/pr/1"}}""")).Expect(HttpStatusCode.OK);

        var attributes = updated.GetProperty("attributes");
        Assert.Equal("STATUS_SUCCESS", attributes.GetProperty("status").GetString());
        Assert.Equal(0, attributes.GetProperty("code").GetInt32());
        Assert.Equal("TYPE_DEPLOYMENT", attributes.GetProperty("type").GetString());
        Assert.Equal("PROJ-456", updated.GetProperty("links").GetProperty("ticket").GetString());
        Assert.Equal("https://git.example/pr/1", updated.GetProperty("links").GetProperty("pullRequestLink").GetString());
    }

    [Fact]
    public async Task PutEvent_UpdateMaskInBody_ChangesOnlyTheMaskedPaths()
    {
        var created = await CreateAsync();

        var updated = (await _http.PutRestAsync(
            "/api/v1alpha1/event",
            $$$"""{"id":"{{{Id(created)}}}","updateMask":"attributes.owner,attributes.labels","title":"ignored","attributes":{"owner":"sre","service":"ignored"}}""")).Expect(HttpStatusCode.OK);

        var attributes = updated.GetProperty("attributes");
        Assert.Equal("sre", attributes.GetProperty("owner").GetString());
        Assert.Equal("{}", attributes.GetProperty("labels").GetRawText());
        Assert.Equal(created.GetProperty("attributes").GetProperty("service").GetString(), attributes.GetProperty("service").GetString());
        Assert.Equal(created.GetProperty("title").GetString(), updated.GetProperty("title").GetString());
    }

    [Fact]
    public async Task UpdateEvent_UpdateMaskOverGrpc_ChangesOnlyTheMaskedPaths()
    {
        var created = await _client.CreateEventAsync(TestEvents.Deployment()).Bounded();

        var updated = await _client.UpdateEventAsync(new UpdateEventRequest
        {
            Id = created.Id,
            Title = "ignored",
            Attributes = new EventAttributes { Status = EventStatus.Failure, Owner = "ignored" },
            UpdateMask = new FieldMask { Paths = { "attributes.status" } },
        }).Bounded();

        var expected = created.Attributes.Clone();
        expected.Status = EventStatus.Failure;
        Assert.Equal(expected, updated.Attributes);
        Assert.Equal(created.Title, updated.Title);
    }

    [Fact]
    public async Task UpdateEvent_PresentOptionalAtDefaultOverGrpc_IsSet()
    {
        var created = await _client.CreateEventAsync(TestEvents.Deployment()).Bounded();

        var updated = await _client.UpdateEventAsync(new UpdateEventRequest
        {
            Id = created.Id,
            Attributes = new EventAttributes { Notification = false },
        }).Bounded();

        var expected = created.Attributes.Clone();
        expected.Notification = false;
        Assert.Equal(expected, updated.Attributes);
        Assert.True(updated.Attributes.HasNotification);
    }

    private async Task<JsonElement> CreateAsync() =>
        (await _http.PostRestAsync("/api/v1alpha1/event", TestEvents.DeploymentJson(TestEvents.UniqueService()))).Expect(HttpStatusCode.OK);

    private static string Id(JsonElement json) => json.GetProperty("id").GetString()!;
}
