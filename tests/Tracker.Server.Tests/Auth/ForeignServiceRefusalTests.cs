using System.Net;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Tracker.Api.V1Alpha1;
using Tracker.Server.Tests.Support;
using EventType = Tracker.Api.V1Alpha1.Type;

namespace Tracker.Server.Tests.Auth;

/// <summary>
/// Authorization before anything else about an event the caller may not write (AIP-211): a
/// caller limited to "payments-*" that writes an event of another service, or one that would
/// become another service's, gets one refusal, PERMISSION_DENIED, before any etag check
/// (ABORTED), validation (INVALID_ARGUMENT) or NOT_FOUND, over gRPC and REST alike. The refusal
/// names the method's scope and the caller's own services, and neither the event's service nor
/// anything else about it. A missing event is refused the same way for a caller that may not
/// read events; one that may read gets NOT_FOUND, which GetEvent would tell it anyway.
/// </summary>
public sealed class ForeignServiceRefusalTests : IClassFixture<ForeignServiceRefusalTests.Fixture>
{
    private const string ForeignService = "checkout-ledger";
    private const string OwnService = "payments-api";
    private const string ForeignTitle = "Rotate the ledger signing key";
    private const string MissingId = "01890a5d-ac96-774b-bcce-b302099a8057";

    private readonly Fixture _fixture;

    public ForeignServiceRefusalTests(Fixture fixture) => _fixture = fixture;

    public enum Transport
    {
        Grpc,
        Rest,
    }

    public enum Case
    {
        NoEtag,
        WrongEtag,
        StaleEtag,
        InvalidUpdate,
        MissingEvent,
        MissingEventAllowMissing,
        NewEventOfForeignService,
        InvalidNewEventOfForeignService,
        NewEventInheritingForeignService,
    }

    public static TheoryData<string, Case, Transport, string> Writes()
    {
        var data = new TheoryData<string, Case, Transport, string>();
        var cases = new Dictionary<string, Case[]>
        {
            ["CreateEvent"] = [Case.NewEventOfForeignService, Case.InvalidNewEventOfForeignService, Case.NewEventInheritingForeignService],
            ["UpdateEvent"] = [Case.NoEtag, Case.WrongEtag, Case.StaleEtag, Case.InvalidUpdate, Case.MissingEvent],
            ["DeleteEvent"] = [Case.NoEtag, Case.WrongEtag, Case.StaleEtag, Case.MissingEvent, Case.MissingEventAllowMissing],
        };
        foreach (var (rpc, rpcCases) in cases)
        {
            foreach (var @case in rpcCases)
            {
                foreach (var transport in System.Enum.GetValues<Transport>())
                {
                    data.Add(rpc, @case, transport, SecuredTracker.PaymentsWriterKey);
                    if (@case is not (Case.MissingEvent or Case.MissingEventAllowMissing))
                    {
                        // A caller that may read gets the same refusal for every event that exists.
                        data.Add(rpc, @case, transport, SecuredTracker.PaymentsKey);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task Write_ForeignServiceCaller_OneRefusalNamingNothingOfTheEvent(string rpc, Case @case, Transport transport, string key)
    {
        var target = await _fixture.ForeignEventAsync();
        var stale = target.Etag;
        target = await _fixture.AdminUpdateAsync(target);
        var id = @case is Case.MissingEvent or Case.MissingEventAllowMissing ? MissingId : target.Id;
        var etag = @case switch
        {
            Case.WrongEtag => "not-an-etag-of-ours",
            Case.StaleEtag => stale,
            _ => string.Empty,
        };

        var refusal = transport == Transport.Grpc
            ? await GrpcCallAsync(rpc, @case, id, etag, target.Id, key)
            : await RestCallAsync(rpc, @case, id, etag, target.Id, key);

        var scope = rpc == "DeleteEvent" ? "events:delete" : "events:write";
        var resource = rpc == "CreateEvent" ? "the new event" : $"event '{id}' (or it might not exist)";
        Assert.Equal(StatusCode.PermissionDenied, refusal.Code);
        Assert.Equal($"Permission \"{scope}\" denied on {resource}: the caller may write only events of the services \"payments-*\".", refusal.Message);
        Assert.Equal("SERVICE_NOT_ALLOWED", refusal.Reason);
        Assert.Equal(new Dictionary<string, string> { ["required_scope"] = scope, ["allowed_services"] = "payments-*" }, refusal.Metadata);
        foreach (var secret in new[] { ForeignService, ForeignTitle, target.Etag, stale })
        {
            Assert.DoesNotContain(secret, refusal.Raw, StringComparison.Ordinal);
        }

        Assert.Equal(target, await _fixture.AdminGetAsync(target.Id));
    }

    [Theory]
    [InlineData(Transport.Grpc)]
    [InlineData(Transport.Rest)]
    public async Task UpdateEvent_MissingEventCallerMayRead_NotFound(Transport transport)
    {
        var refusal = transport == Transport.Grpc
            ? await GrpcCallAsync("UpdateEvent", Case.MissingEvent, MissingId, string.Empty, MissingId, SecuredTracker.PaymentsKey)
            : await RestCallAsync("UpdateEvent", Case.MissingEvent, MissingId, string.Empty, MissingId, SecuredTracker.PaymentsKey);

        Assert.Equal(StatusCode.NotFound, refusal.Code);
    }

    public enum Related
    {
        MissingEvent,
        ForeignEvent,
    }

    [Theory]
    [InlineData("CreateEvent", Related.MissingEvent, Transport.Grpc)]
    [InlineData("CreateEvent", Related.ForeignEvent, Transport.Grpc)]
    [InlineData("CreateEvent", Related.MissingEvent, Transport.Rest)]
    [InlineData("CreateEvent", Related.ForeignEvent, Transport.Rest)]
    [InlineData("UpdateEvent", Related.MissingEvent, Transport.Grpc)]
    [InlineData("UpdateEvent", Related.ForeignEvent, Transport.Grpc)]
    [InlineData("UpdateEvent", Related.MissingEvent, Transport.Rest)]
    [InlineData("UpdateEvent", Related.ForeignEvent, Transport.Rest)]
    public async Task RelatedId_CallerMayNotRead_MissingAndForeignEventsRefusedAlike(string rpc, Related related, Transport transport)
    {
        var own = await _fixture.OwnEventAsync();
        var foreign = await _fixture.ForeignEventAsync();
        var relatedId = related == Related.MissingEvent ? MissingId : foreign.Id;

        var refusal = await RelatedWriteAsync(rpc, own.Id, relatedId, transport, SecuredTracker.PaymentsWriterKey);

        var resource = rpc == "CreateEvent" ? "the new event" : $"event '{own.Id}' (or it might not exist)";
        Assert.Equal(StatusCode.PermissionDenied, refusal.Code);
        Assert.Equal($"Permission \"events:write\" denied on {resource}: the caller may write only events of the services \"payments-*\".", refusal.Message);
        Assert.Equal("SERVICE_NOT_ALLOWED", refusal.Reason);
        foreach (var secret in new[] { ForeignService, ForeignTitle, foreign.Etag })
        {
            Assert.DoesNotContain(secret, refusal.Raw, StringComparison.Ordinal);
        }

        Assert.Equal(own, await _fixture.AdminGetAsync(own.Id));
    }

    [Theory]
    [InlineData("CreateEvent")]
    [InlineData("UpdateEvent")]
    public async Task RelatedId_MissingEventCallerMayRead_InvalidArgumentOnRelatedId(string rpc)
    {
        var own = await _fixture.OwnEventAsync();

        var refusal = await RelatedWriteAsync(rpc, own.Id, MissingId, Transport.Grpc, SecuredTracker.PaymentsKey);

        Assert.Equal(StatusCode.InvalidArgument, refusal.Code);
        Assert.Contains("attributes.related_id", refusal.Raw, StringComparison.Ordinal);
    }

    /// <summary>A create of a payments-api event, or an update of <paramref name="ownId"/>, naming <paramref name="relatedId"/> as its related event.</summary>
    private async Task<Refusal> RelatedWriteAsync(string rpc, string ownId, string relatedId, Transport transport, string key)
    {
        var create = new CreateEventRequest { Title = "Roll back", Attributes = new EventAttributes { Type = EventType.Deployment, Service = OwnService, RelatedId = relatedId } };
        var update = new UpdateEventRequest { Id = ownId, Attributes = new EventAttributes { RelatedId = relatedId }, UpdateMask = new FieldMask { Paths = { "attributes.related_id" } } };
        if (transport == Transport.Rest)
        {
            using var http = _fixture.Tracker.Factory.CreateClient();
            http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + key);
            var response = rpc == "CreateEvent"
                ? await http.PostRestAsync("/api/v1alpha1/event", Google.Protobuf.JsonFormatter.Default.Format(create))
                : await http.PutRestAsync("/api/v1alpha1/event", Google.Protobuf.JsonFormatter.Default.Format(update));
            Assert.Equal(HttpStatusCode.Forbidden, response.Status);
            var body = response.Json;
            var info = body.GetProperty("details").EnumerateArray()
                .Single(d => d.GetProperty("@type").GetString()!.EndsWith("google.rpc.ErrorInfo", StringComparison.Ordinal));
            return new Refusal((StatusCode)body.GetProperty("code").GetInt32(), body.GetProperty("message").GetString()!, info.GetProperty("reason").GetString(), null, response.Body);
        }

        var client = _fixture.Tracker.Factory.CreateGrpcClient();
        var headers = new Metadata { { "authorization", "Bearer " + key } };
        try
        {
            if (rpc == "CreateEvent")
            {
                await client.CreateEventAsync(create, headers).Bounded();
            }
            else
            {
                await client.UpdateEventAsync(update, headers).Bounded();
            }
        }
        catch (RpcException e)
        {
            var status = e.GetRpcStatus();
            return new Refusal(e.StatusCode, e.Status.Detail, status?.GetDetail<ErrorInfo>()?.Reason, null, e.Status.Detail + status);
        }

        throw new Xunit.Sdk.XunitException($"{rpc} naming related_id {relatedId} succeeded.");
    }

    private async Task<Refusal> GrpcCallAsync(string rpc, Case @case, string id, string etag, string foreignId, string key)
    {
        var client = _fixture.Tracker.Factory.CreateGrpcClient();
        var headers = new Metadata { { "authorization", "Bearer " + key } };
        try
        {
            switch (rpc)
            {
                case "CreateEvent":
                    await client.CreateEventAsync(CreateRequest(@case, foreignId), headers).Bounded();
                    break;
                case "UpdateEvent":
                    var update = new UpdateEventRequest { Id = id, Etag = etag, Title = @case == Case.InvalidUpdate ? string.Empty : "Changed", UpdateMask = new FieldMask { Paths = { "title" } } };
                    await client.UpdateEventAsync(update, headers).Bounded();
                    break;
                default:
                    await client.DeleteEventAsync(new DeleteEventRequest { Id = id, Etag = etag, AllowMissing = @case == Case.MissingEventAllowMissing }, headers).Bounded();
                    break;
            }
        }
        catch (RpcException e)
        {
            var status = e.GetRpcStatus();
            var info = status?.GetDetail<ErrorInfo>();
            return new Refusal(e.StatusCode, e.Status.Detail, info?.Reason, info?.Metadata.ToDictionary(), e.Status.Detail + status);
        }

        throw new Xunit.Sdk.XunitException($"{rpc} ({@case}) succeeded.");
    }

    private async Task<Refusal> RestCallAsync(string rpc, Case @case, string id, string etag, string foreignId, string key)
    {
        using var client = _fixture.Tracker.Factory.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + key);
        var response = rpc switch
        {
            "CreateEvent" => await client.PostRestAsync("/api/v1alpha1/event", Google.Protobuf.JsonFormatter.Default.Format(CreateRequest(@case, foreignId))),
            "UpdateEvent" => await client.PutRestAsync(
                "/api/v1alpha1/event",
                JsonSerializer.Serialize(new { id, etag, title = @case == Case.InvalidUpdate ? string.Empty : "Changed", updateMask = "title" })),
            _ => await client.DeleteRestAsync($"/api/v1alpha1/event/{id}?etag={Uri.EscapeDataString(etag)}&allowMissing={(@case == Case.MissingEventAllowMissing ? "true" : "false")}"),
        };
        var body = response.Json;
        var code = (StatusCode)body.GetProperty("code").GetInt32();
        Assert.Equal(code == StatusCode.PermissionDenied ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound, response.Status);
        var info = body.GetProperty("details").EnumerateArray()
            .Select(d => (JsonElement?)d)
            .SingleOrDefault(d => d!.Value.GetProperty("@type").GetString()!.EndsWith("google.rpc.ErrorInfo", StringComparison.Ordinal));
        return new Refusal(
            code,
            body.GetProperty("message").GetString()!,
            info?.GetProperty("reason").GetString(),
            info?.GetProperty("metadata").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
            response.Body);
    }

    private static CreateEventRequest CreateRequest(Case @case, string foreignId) => @case switch
    {
        Case.InvalidNewEventOfForeignService => new CreateEventRequest { Title = string.Empty, Attributes = new EventAttributes { Type = EventType.Deployment, Service = ForeignService } },
        Case.NewEventInheritingForeignService => new CreateEventRequest { Title = "Roll back", Attributes = new EventAttributes { Type = EventType.Deployment, RelatedId = foreignId } },
        _ => new CreateEventRequest { Title = "Deploy", Attributes = new EventAttributes { Type = EventType.Deployment, Service = ForeignService } },
    };

    /// <summary>A refusal as the client saw it; <see cref="Raw"/> is everything sent, for what it must not contain.</summary>
    private sealed record Refusal(StatusCode Code, string Message, string? Reason, Dictionary<string, string>? Metadata, string Raw);

    public sealed class Fixture : IAsyncLifetime
    {
        private static readonly Metadata Admin = new() { { "authorization", "Bearer " + SecuredTracker.AdminKey } };

        public SecuredTracker Tracker { get; } = new();

        /// <summary>A new event of <see cref="ForeignService"/>, created with the admin key.</summary>
        public async Task<Event> ForeignEventAsync() =>
            await Tracker.Factory.CreateGrpcClient()
                .CreateEventAsync(new CreateEventRequest { Title = ForeignTitle, Attributes = new EventAttributes { Type = EventType.Incident, Service = ForeignService } }, Admin)
                .Bounded();

        /// <summary>A new event of the limited callers' own service, created with the admin key.</summary>
        public async Task<Event> OwnEventAsync() =>
            await Tracker.Factory.CreateGrpcClient()
                .CreateEventAsync(new CreateEventRequest { Title = "Deploy payments", Attributes = new EventAttributes { Type = EventType.Deployment, Service = OwnService } }, Admin)
                .Bounded();

        /// <summary>The event after an update by the admin key, so its first etag is stale.</summary>
        public async Task<Event> AdminUpdateAsync(Event target) =>
            await Tracker.Factory.CreateGrpcClient()
                .UpdateEventAsync(new UpdateEventRequest { Id = target.Id, Title = ForeignTitle + " (checked)", UpdateMask = new FieldMask { Paths = { "title" } } }, Admin)
                .Bounded();

        public async Task<Event> AdminGetAsync(string id) =>
            await Tracker.Factory.CreateGrpcClient().GetEventAsync(new GetEventRequest { Id = id }, Admin).Bounded();

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync() => await Tracker.DisposeAsync();
    }
}
