using System.Net;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.Options;
using Tracker.Api.V1Alpha1;
using Tracker.Server.Auth;
using Tracker.Server.Tests.Support;
using EventType = Tracker.Api.V1Alpha1.Type;
using V1 = Grpc.Reflection.V1;

namespace Tracker.Server.Tests.Auth;

/// <summary>What authentication records and leaves open, and how it refuses what it cannot accept.</summary>
public sealed class AuthBehaviourTests
{
    private static Metadata Bearer(string credential) => new() { { "authorization", "Bearer " + credential } };

    [Fact]
    public async Task CreateThenUpdate_DifferentCallers_CreatedByAndUpdatedByNameThem()
    {
        await using var tracker = new SecuredTracker();
        var client = tracker.Factory.CreateGrpcClient();

        var created = await client.CreateEventAsync(Payments("Deploy"), Bearer(SecuredTracker.PaymentsKey)).Bounded();
        var jwt = tracker.Issuer.Token("pipeline-jwt", "events:write", "payments-*");
        var updated = await client.UpdateEventAsync(new UpdateEventRequest { Id = created.Id, Title = "Deployed" }, Bearer(jwt)).Bounded();
        var read = await client.GetEventAsync(new GetEventRequest { Id = created.Id }, Bearer(SecuredTracker.ReaderKey)).Bounded();

        Assert.Equal(("payments", "payments"), (created.CreatedBy, created.UpdatedBy));
        Assert.Equal(("payments", "pipeline-jwt"), (updated.CreatedBy, updated.UpdatedBy));
        Assert.Equal(("payments", "pipeline-jwt"), (read.CreatedBy, read.UpdatedBy));
    }

    [Fact]
    public async Task CreateEvent_ClientSendsCreatedBy_IgnoredAsOutputOnly()
    {
        await using var tracker = new SecuredTracker();
        using var http = tracker.Factory.CreateClient();
        http.DefaultRequestHeaders.Add("Authorization", "Bearer " + SecuredTracker.PaymentsKey);

        var body = (await http.PostRestAsync("/api/v1alpha1/event", """{"title": "x", "createdBy": "someone-else", "updatedBy": "me", "attributes": {"type": 1, "service": "payments-api"}}""")).Expect(HttpStatusCode.OK);

        Assert.Equal("payments", body.GetProperty("createdBy").GetString());
        Assert.Equal("payments", body.GetProperty("updatedBy").GetString());
    }

    [Fact]
    public async Task FoldedCreate_AnotherCaller_UpdatedByNamesTheFolder()
    {
        await using var tracker = new SecuredTracker();
        var client = tracker.Factory.CreateGrpcClient();
        var first = Payments("Disk almost full");
        first.AggregationKey = "disk-full";
        await client.CreateEventAsync(first, Bearer(SecuredTracker.AdminKey)).Bounded();

        var folded = await client.CreateEventAsync(first, Bearer(SecuredTracker.PaymentsKey)).Bounded();

        Assert.Equal((2, "admin", "payments"), (folded.Count, folded.CreatedBy, folded.UpdatedBy));
    }

    [Fact]
    public async Task FoldedCreate_SameKeyOtherService_CreatesItsOwnEvent()
    {
        await using var tracker = new SecuredTracker();
        var client = tracker.Factory.CreateGrpcClient();
        var checkout = new CreateEventRequest { Title = "Disk almost full", AggregationKey = "disk-full", Attributes = new EventAttributes { Type = EventType.Incident, Service = "checkout" } };
        var theirs = await client.CreateEventAsync(checkout, Bearer(SecuredTracker.AdminKey)).Bounded();
        var mine = Payments("Disk almost full");
        mine.AggregationKey = "disk-full";

        var created = await client.CreateEventAsync(mine, Bearer(SecuredTracker.PaymentsKey)).Bounded();
        var theirsAfter = await client.GetEventAsync(new GetEventRequest { Id = theirs.Id }, Bearer(SecuredTracker.ReaderKey)).Bounded();

        Assert.NotEqual(theirs.Id, created.Id);
        Assert.Equal((1, 1), (created.Count, theirsAfter.Count));
        Assert.Equal(theirs.Etag, theirsAfter.Etag);
    }

    [Fact]
    public async Task UpdateEvent_MovesEventOutOfTheKeysServices_PermissionDeniedAndUnchanged()
    {
        await using var tracker = new SecuredTracker();
        var client = tracker.Factory.CreateGrpcClient();
        var created = await client.CreateEventAsync(Payments("Deploy"), Bearer(SecuredTracker.PaymentsKey)).Bounded();

        var e = await Assert.ThrowsAsync<RpcException>(() => client.UpdateEventAsync(
            new UpdateEventRequest { Id = created.Id, Attributes = new EventAttributes { Service = "checkout" }, UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "attributes.service" } } },
            Bearer(SecuredTracker.PaymentsKey)).Bounded());
        var after = await client.GetEventAsync(new GetEventRequest { Id = created.Id }, Bearer(SecuredTracker.ReaderKey)).Bounded();

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Contains("may write only events of the services \"payments-*\"", e.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("payments-api", after.Attributes.Service);
    }

    [Fact]
    public async Task CreateEvent_SameRequestIdTwoCallers_EachGetsItsOwnEvent()
    {
        await using var tracker = new SecuredTracker();
        var client = tracker.Factory.CreateGrpcClient();
        var admins = new CreateEventRequest { Title = "Theirs", RequestId = "deploy-42", Attributes = new EventAttributes { Type = EventType.Deployment, Service = "checkout" } };
        var mine = Payments("Mine");
        mine.RequestId = "deploy-42";

        var theirs = await client.CreateEventAsync(admins, Bearer(SecuredTracker.AdminKey)).Bounded();
        var created = await client.CreateEventAsync(mine, Bearer(SecuredTracker.PaymentsKey)).Bounded();
        var retried = await client.CreateEventAsync(mine, Bearer(SecuredTracker.PaymentsKey)).Bounded();

        Assert.NotEqual(theirs.Id, created.Id);
        Assert.Equal(("Mine", "payments-api"), (created.Title, created.Attributes.Service));
        Assert.Equal(created.Id, retried.Id);
    }

    [Fact]
    public async Task FoldedCreate_KeyUsedMeanwhileByAnotherService_StillFoldsIntoItsOwnSeries()
    {
        await using var tracker = new SecuredTracker();
        var client = tracker.Factory.CreateGrpcClient();
        var checkout = new CreateEventRequest { Title = "Disk almost full", AggregationKey = "k1", Attributes = new EventAttributes { Type = EventType.Incident, Service = "checkout" } };
        var first = await client.CreateEventAsync(checkout, Bearer(SecuredTracker.AdminKey)).Bounded();
        var payments = Payments("Disk almost full");
        payments.AggregationKey = "k1";
        await client.CreateEventAsync(payments, Bearer(SecuredTracker.PaymentsKey)).Bounded();

        var again = await client.CreateEventAsync(checkout, Bearer(SecuredTracker.AdminKey)).Bounded();

        Assert.Equal((first.Id, 2), (again.Id, again.Count));
    }

    [Fact]
    public async Task CreateEvent_TokenWithEmptyServicesArray_MayWriteNoService()
    {
        await using var tracker = new SecuredTracker();
        var token = tracker.Issuer.Token("pipeline", "events:write", servicesArray: []);

        var e = await Assert.ThrowsAsync<RpcException>(() => tracker.Factory.CreateGrpcClient().CreateEventAsync(Payments("Deploy"), Bearer(token)).Bounded());

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Contains("services none", e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListEvents_TokenWithoutSubject_Unauthenticated()
    {
        await using var tracker = new SecuredTracker();
        var token = tracker.Issuer.Token(subject: "", "events:read");

        var e = await Assert.ThrowsAsync<RpcException>(() => tracker.Factory.CreateGrpcClient().ListEventsAsync(new ListEventsRequest(), Bearer(token)).Bounded());

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Contains("names no caller", e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListEvents_IssuerUnreachable_UnavailableAndLogged()
    {
        await using var tracker = new SecuredTracker(new Dictionary<string, string?> { ["Auth:Jwt:Authority"] = "http://localhost/no-such-issuer" });
        var token = tracker.Issuer.Token("pipeline", "events:read");

        var e = await Assert.ThrowsAsync<RpcException>(() => tracker.Factory.CreateGrpcClient().ListEventsAsync(new ListEventsRequest(), Bearer(token)).Bounded());

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Contains("issuer cannot be reached", e.Status.Detail, StringComparison.Ordinal);
        Assert.Contains(tracker.Factory.Logs.Entries, entry => entry.EventId.Id == 3006);
    }

    [Theory]
    [InlineData("wrong-audience", "not issued for this service")]
    [InlineData("foreign-signature", "signature is not valid")]
    [InlineData("expired", "has expired")]
    [InlineData("malformed", "not a known API key")]
    public async Task ListEvents_BadJwt_UnauthenticatedSayingWhy(string problem, string expected)
    {
        await using var tracker = new SecuredTracker();
        using var foreignKey = System.Security.Cryptography.RSA.Create(2048);
        var token = problem switch
        {
            "wrong-audience" => tracker.Issuer.Token("x", "events:read", audience: "someone-else"),
            "foreign-signature" => tracker.Issuer.Token("x", "events:read", signingKey: new Microsoft.IdentityModel.Tokens.RsaSecurityKey(foreignKey) { KeyId = "test-key-1" }),
            "expired" => tracker.Issuer.Token("x", "events:read", expires: DateTime.UtcNow.AddHours(-1)),
            // Not a JWT's shape: it is taken for an API key.
            _ => "eyJhbGciOiJSUzI1NiJ9.only-two-parts",
        };

        var e = await Assert.ThrowsAsync<RpcException>(() => tracker.Factory.CreateGrpcClient().ListEventsAsync(new ListEventsRequest(), Bearer(token)).Bounded());

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Contains(expected, e.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("IDX", e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rest_NotBearerScheme_401WithPlainChallenge()
    {
        await using var tracker = new SecuredTracker();
        using var http = tracker.Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1alpha1/events/list");
        request.Headers.TryAddWithoutValidation("Authorization", "Basic dXNlcjpwYXNz");

        using var response = await http.SendAsync(request).Bounded();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer realm=\"tracker\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Contains("must be 'Bearer", await response.Content.ReadAsStringAsync().Bounded(), StringComparison.Ordinal);
    }

    /// <summary>Authentication and authorization answer before the REST input checks ("Securing Tracker"): a caller refused learns nothing of the API from a 400.</summary>
    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized)]
    [InlineData("trk_not-a-key", HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized)]
    [InlineData(SecuredTracker.ReaderKey, HttpStatusCode.Forbidden, HttpStatusCode.BadRequest)]
    [InlineData(SecuredTracker.AdminKey, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest)]
    public async Task Rest_UnknownParameter_RefusedCallerAnsweredBeforeTheInputCheck(string? key, HttpStatusCode delete, HttpStatusCode list)
    {
        await using var tracker = new SecuredTracker();
        using var http = tracker.Factory.CreateClient();
        if (key is not null)
        {
            http.DefaultRequestHeaders.Add("Authorization", "Bearer " + key);
        }

        var deleted = await http.SendRestAsync(HttpMethod.Delete, "/api/v1alpha1/event/01a252e0-e315-7c85-b0ed-80fcc85543c5?limit=5", """{"bogus":1}""");
        var listed = await http.GetRestAsync("/api/v1alpha1/events/list?limit=5");

        Assert.Equal((delete, list), (deleted.Status, listed.Status));
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/openapi.json")]
    [InlineData("/docs/index.html")]
    [InlineData("/metrics")]
    public async Task OperationalEndpoints_NoCredentials_StayOpen(string path)
    {
        await using var tracker = new SecuredTracker();

        using var response = await tracker.Factory.CreateClient().GetAsync(path).Bounded();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task HealthAndReflection_NoCredentials_OpenByDefault()
    {
        await using var tracker = new SecuredTracker();
        var channel = tracker.Factory.CreateGrpcChannel();

        var health = await new Grpc.Health.V1.Health.HealthClient(channel).CheckAsync(new HealthCheckRequest()).Bounded();
        var services = await ListServicesAsync(channel, headers: null);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.Contains("tracker.event.v1alpha1.EventService", services);
    }

    [Fact]
    public async Task Reflection_SetToAuthenticated_NeedsCredentials()
    {
        await using var tracker = new SecuredTracker(new Dictionary<string, string?> { ["Auth:Reflection"] = "Authenticated" });
        var channel = tracker.Factory.CreateGrpcChannel();

        var e = await Assert.ThrowsAsync<RpcException>(() => ListServicesAsync(channel, headers: null));
        var services = await ListServicesAsync(channel, Bearer(SecuredTracker.ReaderKey));

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Contains("tracker.event.v1alpha1.EventService", services);
    }

    [Fact]
    public async Task NewApiKeyCommand_PrintedKey_IsAcceptedByItsPrintedSettings()
    {
        using var output = new StringWriter();
        var exit = NewApiKeyCommand.Run(["new-api-key", "ci-team-a", "events:read"], output, TextWriter.Null);
        var lines = output.ToString().Split('\n', StringSplitOptions.TrimEntries);
        var key = lines.Single(l => l.StartsWith("trk_", StringComparison.Ordinal));
        var hash = lines.Single(l => l.StartsWith("Auth__ApiKeys__ci-team-a__Hash=", StringComparison.Ordinal)).Split('=')[1];
        await using var factory = new TrackerFactory
        {
            Settings = { ["Auth:Mode"] = "ApiKey", ["Auth:ApiKeys:ci-team-a:Hash"] = hash, ["Auth:ApiKeys:ci-team-a:Scopes:0"] = "events:read" },
        };

        var page = await factory.CreateGrpcClient().ListEventsAsync(new ListEventsRequest(), Bearer(key)).Bounded();

        Assert.Equal(0, exit);
        Assert.Equal(SecuredTracker.HashOf(key), hash);
        Assert.Empty(page.Events);
    }

    [Theory]
    [InlineData("new-api-key")]
    [InlineData("new-api-key bad/name")]
    [InlineData("new-api-key ok events:everything")]
    public void NewApiKeyCommand_BadArguments_ExitTwoWithUsage(string arguments)
    {
        using var errors = new StringWriter();

        var exit = NewApiKeyCommand.Run(arguments.Split(' '), TextWriter.Null, errors);

        Assert.Equal(2, exit);
        Assert.NotEmpty(errors.ToString());
    }

    [Theory]
    [InlineData("Auth:Mode", "Bogus", "Auth:Mode must be None, ApiKey, Jwt or ApiKey,Jwt")]
    [InlineData("Auth:ApiKeys:reader:Hash", "ABC", "Auth:ApiKeys:reader:Hash must be the lower-case hex SHA-256")]
    [InlineData("Auth:ApiKeys:reader:Scopes:0", "events:all", "'events:all' is not a scope")]
    [InlineData("Auth:Jwt:Audience", "", "Auth:Jwt:Audience must name the audience")]
    [InlineData("Limits:MaxConcurrentRequests", "0", "Limits:MaxConcurrentRequests must be at least 1")]
    [InlineData("Limits:MaxConcurrentWrites", "0", "Limits:MaxConcurrentWrites must be at least 1")]
    [InlineData("Auth:ApiKeys:solo:Services", "payments-*", "Auth:ApiKeys:solo:Services must be an array")]
    [InlineData("Auth:ApiKeys:reader:Hash", "9b8ba4e9a6b1a23d2e4e6baff88edeed41b8a4bd4e3d0c2e7bf7acae2a9f3b8b", null)]
    public async Task Start_BadSetting_FailsNamingTheSetting(string setting, string value, string? expected)
    {
        var settings = new Dictionary<string, string?> { [setting] = value };
        if (expected is null)
        {
            // Two keys with one hash: the reader's hash given to the admin as well.
            settings = new Dictionary<string, string?> { ["Auth:ApiKeys:admin:Hash"] = SecuredTracker.HashOf(SecuredTracker.ReaderKey) };
            expected = "have the same Hash";
        }

        await using var tracker = new SecuredTracker(settings);

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => Task.Run(() => tracker.Factory.CreateClient()));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_AuthOff_WarnsThatEveryoneMayWrite()
    {
        await using var factory = new TrackerFactory();
        factory.CreateClient().Dispose();

        Assert.Contains(factory.Logs.Entries, entry => entry.Level == Microsoft.Extensions.Logging.LogLevel.Warning && entry.Message.Contains("Authentication is off", StringComparison.Ordinal));
    }

    private static CreateEventRequest Payments(string title) =>
        new() { Title = title, Attributes = new EventAttributes { Type = EventType.Deployment, Service = "payments-api" } };

    private static async Task<List<string>> ListServicesAsync(Grpc.Net.Client.GrpcChannel channel, Metadata? headers)
    {
        using var call = new V1.ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo(headers);
        await call.RequestStream.WriteAsync(new V1.ServerReflectionRequest { ListServices = "" }).Bounded();
        await call.RequestStream.CompleteAsync().Bounded();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).Bounded());
        return call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
    }
}
