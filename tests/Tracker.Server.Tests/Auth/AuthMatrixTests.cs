using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Grpc.Core;
using Grpc.Net.Client.Web;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Access;
using EventType = Tracker.Api.V1Alpha1.Type;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.Auth;

/// <summary>
/// The auth matrix: every RPC the call pipeline guards (<see cref="RpcRegistry"/>, all but the
/// public health and reflection methods) over REST, gRPC and gRPC-Web, with no credentials, an unknown
/// key, an expired JWT, a credential without the method's scope, one limited to another service,
/// and the right API key and JWT, each with its exact code (and HTTP status for REST). Channels
/// are not limited by service: the key limited to "payments-*" reads them, and may not manage
/// them for want of notifications:admin.
/// </summary>
public sealed class AuthMatrixTests : IClassFixture<AuthMatrixTests.Fixture>
{
    private readonly Fixture _fixture;

    public AuthMatrixTests(Fixture fixture) => _fixture = fixture;

    public enum Transport
    {
        Rest,
        Grpc,
        GrpcWeb,
    }

    public enum Credential
    {
        None,
        UnknownKey,
        ExpiredJwt,
        WrongScope,
        WrongService,
        RightKey,
        RightJwt,
    }

    /// <summary>The guarded methods, from the pipeline's own table: a new RPC joins the matrix by its registration.</summary>
    public static readonly string[] Rpcs = RpcRegistry.All.Where(r => !r.IsPublic).Select(r => r.Name).ToArray();

    public static TheoryData<string, Transport, Credential> Matrix()
    {
        var data = new TheoryData<string, Transport, Credential>();
        foreach (var rpc in Rpcs)
        {
            foreach (var transport in Enum.GetValues<Transport>())
            {
                foreach (var credential in Enum.GetValues<Credential>())
                {
                    data.Add(rpc, transport, credential);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Rpc_Credential_ExactCode(string rpc, Transport transport, Credential credential)
    {
        var expected = Expected(rpc, credential);
        // The event a write or read targets: of the payments key's services, except in the wrong-service case.
        // A channel method targets a channel of its own instead.
        var service = credential == Credential.WrongService ? "checkout" : "payments-api";
        var target = IsChannel(rpc) ? new Event() : await _fixture.CreateAsAdminAsync(service);
        var channel = IsChannel(rpc) ? await _fixture.CreateChannelAsAdminAsync() : string.Empty;
        var authorization = Authorization(rpc, credential);
        var factory = _fixture.Tracker.Factory;

        var outcome = transport switch
        {
            Transport.Rest => await RestCallAsync(rpc, service, target, channel, authorization),
            Transport.Grpc => await GrpcCallAsync(factory.CreateGrpcClient(), factory.CreateChannelClient(), rpc, service, target, channel, authorization),
            _ => await GrpcCallAsync(factory.CreateGrpcWebClient(GrpcWebMode.GrpcWebText), factory.CreateChannelWebClient(GrpcWebMode.GrpcWebText), rpc, service, target, channel, authorization),
        };

        Assert.True(expected == outcome.Code, $"{rpc} over {transport} with {credential}: expected {expected}, got {outcome.Code}: {outcome.Detail}");
        if (transport == Transport.Rest)
        {
            Assert.Equal(HttpStatusOf(expected), outcome.HttpStatus);
            Assert.Equal(expected == StatusCode.Unauthenticated, outcome.WwwAuthenticate is not null);
        }

        if (expected == StatusCode.PermissionDenied)
        {
            // A refusal for another service's event names the caller's services, never the event's.
            Assert.Contains(credential == Credential.WrongService && !IsChannel(rpc) ? "may write only events of the services" : "scope", outcome.Detail, StringComparison.Ordinal);
            Assert.DoesNotContain("checkout", outcome.Detail, StringComparison.Ordinal);
        }
    }

    /// <summary>The holders of the scopes channels are managed and read with (README, "Securing Tracker").</summary>
    public enum ScopeHolder
    {
        NotificationsAdmin,
        Admin,
        EventsRead,
        Nobody,
    }

    public static TheoryData<string, Transport, ScopeHolder> ChannelScopes()
    {
        var data = new TheoryData<string, Transport, ScopeHolder>();
        foreach (var rpc in Rpcs.Where(IsChannel))
        {
            foreach (var transport in new[] { Transport.Rest, Transport.Grpc })
            {
                foreach (var holder in Enum.GetValues<ScopeHolder>())
                {
                    data.Add(rpc, transport, holder);
                }
            }
        }

        return data;
    }

    /// <summary>
    /// Managing channels needs notifications:admin (or admin); reading them events:read (or
    /// admin): notifications:admin alone does not read them, nor events:read manage them.
    /// </summary>
    [Theory]
    [MemberData(nameof(ChannelScopes))]
    public async Task ChannelRpc_ScopeHolder_ExactCode(string rpc, Transport transport, ScopeHolder holder)
    {
        var expected = holder switch
        {
            ScopeHolder.Nobody => StatusCode.Unauthenticated,
            ScopeHolder.Admin => StatusCode.OK,
            ScopeHolder.NotificationsAdmin => IsWrite(rpc) ? StatusCode.OK : StatusCode.PermissionDenied,
            _ => IsWrite(rpc) ? StatusCode.PermissionDenied : StatusCode.OK,
        };
        var channel = await _fixture.CreateChannelAsAdminAsync();
        var authorization = holder switch
        {
            ScopeHolder.NotificationsAdmin => "Bearer " + SecuredTracker.NotificationsAdminKey,
            ScopeHolder.Admin => "Bearer " + SecuredTracker.AdminKey,
            ScopeHolder.EventsRead => "Bearer " + SecuredTracker.ReaderKey,
            _ => null,
        };
        var factory = _fixture.Tracker.Factory;

        var outcome = transport == Transport.Rest
            ? await RestCallAsync(rpc, "payments-api", new Event(), channel, authorization)
            : await GrpcCallAsync(factory.CreateGrpcClient(), factory.CreateChannelClient(), rpc, "payments-api", new Event(), channel, authorization);

        Assert.True(expected == outcome.Code, $"{rpc} over {transport} by {holder}: expected {expected}, got {outcome.Code}: {outcome.Detail}");
        if (expected == StatusCode.PermissionDenied)
        {
            var scope = IsWrite(rpc) ? "notifications:admin" : "events:read";
            Assert.Contains($"{rpc} needs the scope \"{scope}\" (or \"admin\")", outcome.Detail.Replace("\\\"", "\"", StringComparison.Ordinal), StringComparison.Ordinal);
        }
    }

    private static StatusCode Expected(string rpc, Credential credential) => credential switch
    {
        Credential.None or Credential.UnknownKey or Credential.ExpiredJwt => StatusCode.Unauthenticated,
        Credential.WrongScope => StatusCode.PermissionDenied,
        // Reads are not limited by service; writes are. The payments key may not manage channels.
        Credential.WrongService when IsWrite(rpc) => StatusCode.PermissionDenied,
        _ => StatusCode.OK,
    };

    private string? Authorization(string rpc, Credential credential)
    {
        var issuer = _fixture.Tracker.Issuer;
        const string AllScopes = "events:read events:write events:delete notifications:admin";
        return credential switch
        {
            Credential.None => null,
            Credential.UnknownKey => "Bearer trk_not-a-configured-key",
            Credential.ExpiredJwt => "Bearer " + issuer.Token("pipeline-jwt", AllScopes, "payments-*", expires: DateTime.UtcNow.AddHours(-1)),
            // Reads need events:read, which the deleter lacks; writes and deletes need scopes the reader lacks.
            Credential.WrongScope => "Bearer " + (IsWrite(rpc) ? SecuredTracker.ReaderKey : SecuredTracker.DeleterKey),
            Credential.RightKey when IsChannel(rpc) => "Bearer " + SecuredTracker.ChannelsKey,
            Credential.WrongService or Credential.RightKey => "Bearer " + SecuredTracker.PaymentsKey,
            _ => "Bearer " + issuer.Token("pipeline-jwt", AllScopes, "payments-*"),
        };
    }

    private static bool IsWrite(string rpc) => RpcRegistry.All.Single(r => r.Name == rpc).Scope != EventScopes.Read;

    private static bool IsChannel(string rpc) => RpcRegistry.All.Single(r => r.Name == rpc).FullName.StartsWith($"/{ChannelService.Descriptor.FullName}/", StringComparison.Ordinal);

    private static HttpStatusCode HttpStatusOf(StatusCode code) => code switch
    {
        StatusCode.OK => HttpStatusCode.OK,
        StatusCode.Unauthenticated => HttpStatusCode.Unauthorized,
        _ => HttpStatusCode.Forbidden,
    };

    private async Task<Outcome> RestCallAsync(string rpc, string service, Event target, string channel, string? authorization)
    {
        using var client = _fixture.Tracker.Factory.CreateClient();
        using var request = rpc switch
        {
            "CreateEvent" => Json(HttpMethod.Post, "/api/v1alpha1/event", $$$"""{"title": "Deploy", "attributes": {"type": 1, "service": "{{{service}}}"}}"""),
            "GetEvent" => new HttpRequestMessage(HttpMethod.Get, $"/api/v1alpha1/event/{target.Id}"),
            "UpdateEvent" => Json(HttpMethod.Put, "/api/v1alpha1/event", $$$"""{"id": "{{{target.Id}}}", "title": "Changed"}"""),
            "DeleteEvent" => new HttpRequestMessage(HttpMethod.Delete, $"/api/v1alpha1/event/{target.Id}"),
            "ListEvents" => new HttpRequestMessage(HttpMethod.Get, "/api/v1alpha1/events/list?per_page=1"),
            "SearchEvents" => new HttpRequestMessage(HttpMethod.Get, $"/api/v1alpha1/events/search?service={service}"),
            "TodayEvents" => new HttpRequestMessage(HttpMethod.Get, "/api/v1alpha1/events/today"),
            "WatchEvents" => new HttpRequestMessage(HttpMethod.Get, "/api/v1alpha1/events:watch?afterId=0"),
            "CreateChannel" => Json(HttpMethod.Post, "/api/v1alpha1/channels", $$$"""{"name": "{{{TestChannels.UniqueName()}}}", "kind": "CHANNEL_KIND_EMAIL", "emailTo": ["oncall@example.com"]}"""),
            "GetChannel" => new HttpRequestMessage(HttpMethod.Get, $"/api/v1alpha1/channels/{channel}"),
            "ListChannels" => new HttpRequestMessage(HttpMethod.Get, "/api/v1alpha1/channels"),
            "UpdateChannel" => Json(HttpMethod.Patch, $"/api/v1alpha1/channels/{channel}", """{"disabled": true}"""),
            "DeleteChannel" => new HttpRequestMessage(HttpMethod.Delete, $"/api/v1alpha1/channels/{channel}"),
            "ListDeliveries" => new HttpRequestMessage(HttpMethod.Get, $"/api/v1alpha1/channels/{channel}/deliveries"),
            "Redeliver" => Json(HttpMethod.Post, $"/api/v1alpha1/channels/{channel}:redeliver", """{"afterChangeId": "0"}"""),
            "SendTestMessage" => Json(HttpMethod.Post, $"/api/v1alpha1/channels/{channel}:test", "{}"),
            _ => throw new ArgumentOutOfRangeException(nameof(rpc), rpc, "A registered RPC this matrix does not call yet: add its REST call."),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).Bounded();
        var wwwAuthenticate = response.Headers.WwwAuthenticate.Count > 0 ? response.Headers.WwwAuthenticate.ToString() : null;
        string body;
        if (rpc == "WatchEvents" && response.IsSuccessStatusCode)
        {
            // A watch never ends by itself: its first line (the replayed change) is the answer.
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync().Bounded());
            body = await reader.ReadLineAsync().Bounded() ?? string.Empty;
        }
        else
        {
            body = await response.Content.ReadAsStringAsync().Bounded();
        }

        var code = response.IsSuccessStatusCode && !body.Contains("\"code\":", StringComparison.Ordinal)
            ? StatusCode.OK
            : (StatusCode)System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("code").GetInt32();
        return new Outcome(code, body, response.StatusCode, wwwAuthenticate);
    }

    private static async Task<Outcome> GrpcCallAsync(EventService.EventServiceClient client, ChannelService.ChannelServiceClient channels, string rpc, string service, Event target, string channel, string? authorization)
    {
        var headers = new Metadata();
        if (authorization is not null)
        {
            headers.Add("authorization", authorization);
        }

        var options = new CallOptions(headers, DateTime.UtcNow + TestTimeout.Default);
        try
        {
            switch (rpc)
            {
                case "CreateEvent":
                    await client.CreateEventAsync(new CreateEventRequest { Title = "Deploy", Attributes = new EventAttributes { Type = EventType.Deployment, Service = service } }, options);
                    break;
                case "GetEvent":
                    await client.GetEventAsync(new GetEventRequest { Id = target.Id }, options);
                    break;
                case "UpdateEvent":
                    await client.UpdateEventAsync(new UpdateEventRequest { Id = target.Id, Title = "Changed" }, options);
                    break;
                case "DeleteEvent":
                    await client.DeleteEventAsync(new DeleteEventRequest { Id = target.Id }, options);
                    break;
                case "ListEvents":
                    await client.ListEventsAsync(new ListEventsRequest { PerPage = 1 }, options);
                    break;
                case "SearchEvents":
                    await client.SearchEventsAsync(new SearchEventsRequest { Service = service }, options);
                    break;
                case "TodayEvents":
                    await client.TodayEventsAsync(new TodayEventsRequest(), options);
                    break;
                case "WatchEvents":
                    using (var watch = client.WatchEvents(new WatchEventsRequest { AfterId = "0" }, options))
                    {
                        Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None).Bounded());
                    }

                    break;
                case "CreateChannel":
                    await channels.CreateChannelAsync(new CreateChannelRequest { Channel = TestChannels.Email() }, options);
                    break;
                case "GetChannel":
                    await channels.GetChannelAsync(new GetChannelRequest { Name = channel }, options);
                    break;
                case "ListChannels":
                    await channels.ListChannelsAsync(new ListChannelsRequest(), options);
                    break;
                case "UpdateChannel":
                    await channels.UpdateChannelAsync(new UpdateChannelRequest { Channel = new Channel { Name = channel, Disabled = true } }, options);
                    break;
                case "DeleteChannel":
                    await channels.DeleteChannelAsync(new DeleteChannelRequest { Name = channel }, options);
                    break;
                case "ListDeliveries":
                    await channels.ListDeliveriesAsync(new ListDeliveriesRequest { Name = channel }, options);
                    break;
                case "Redeliver":
                    await channels.RedeliverAsync(new RedeliverRequest { Name = channel, AfterChangeId = "0" }, options);
                    break;
                case "SendTestMessage":
                    await channels.SendTestMessageAsync(new SendTestMessageRequest { Name = channel }, options);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(rpc), rpc, "A registered RPC this matrix does not call yet: add its gRPC call.");
            }

            return new Outcome(StatusCode.OK, string.Empty, null, null);
        }
        catch (RpcException e)
        {
            return new Outcome(e.StatusCode, e.Status.Detail, null, null);
        }
    }

    private static HttpRequestMessage Json(HttpMethod method, string path, string json) =>
        new(method, path) { Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")) };

    private sealed record Outcome(StatusCode Code, string Detail, HttpStatusCode? HttpStatus, string? WwwAuthenticate);

    public sealed class Fixture : IAsyncLifetime
    {
        public SecuredTracker Tracker { get; } = new();

        /// <summary>A new event of <paramref name="service"/>, created with the admin key.</summary>
        public async Task<Event> CreateAsAdminAsync(string service)
        {
            var headers = new Metadata { { "authorization", "Bearer " + SecuredTracker.AdminKey } };
            return await Tracker.Factory.CreateGrpcClient()
                .CreateEventAsync(new CreateEventRequest { Title = "Target", Attributes = new EventAttributes { Type = EventType.Incident, Service = service } }, headers)
                .Bounded();
        }

        /// <summary>
        /// A new channel, created with the admin key: a webhook to a loopback address, which the
        /// senders refuse at once, so a test message fails fast (and is still answered OK).
        /// </summary>
        public async Task<string> CreateChannelAsAdminAsync()
        {
            var headers = new Metadata { { "authorization", "Bearer " + SecuredTracker.AdminKey } };
            var channel = TestChannels.Webhook(url: "https://127.0.0.1:9/tracker");
            return (await Tracker.Factory.CreateChannelClient().CreateChannelAsync(new CreateChannelRequest { Channel = channel }, headers).Bounded()).Name;
        }

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync() => await Tracker.DisposeAsync();
    }
}
