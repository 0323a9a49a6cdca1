using System.Net;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Tracker.Api.V1Alpha1;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.BadInput;

/// <summary>
/// Nothing a REST client sends is silently ignored: an unknown query parameter or JSON body field,
/// or a value its field cannot take, is 400 INVALID_ARGUMENT naming it (with the Tracker name for
/// a neighbour API's parameter); a standard Create or Update ignores its resource's output-only
/// fields (AIP-203). gRPC and gRPC-Web keep protobuf's rule for unknown fields.
/// </summary>
public sealed class UnknownInputTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private const string Create = "/api/v1alpha1/event";

    private readonly HttpClient _http = factory.CreateClient();

    [Theory]
    [InlineData("/api/v1alpha1/events/list?limit=10", "limit", "use per_page (page-number paging) or page_size (token paging) instead")]
    [InlineData("/api/v1alpha1/events/list?max=10", "max", "use per_page instead")]
    [InlineData("/api/v1alpha1/events/list?offset=20", "offset", "use page (1-based, with per_page) instead")]
    [InlineData("/api/v1alpha1/events/list?from=01a252e0-e315-7c85-b0ed-80fcc85543c5", "from", "use after_id (the id of the last event seen) instead")]
    [InlineData("/api/v1alpha1/events/list?sort=title", "sort", "use order_by (e.g. order_by=start_date desc) instead")]
    [InlineData("/api/v1alpha1/events/list?search=deploy", "search", "use filter (an AIP-160 expression) or q (full text) instead")]
    [InlineData("/api/v1alpha1/events/list?component=kubelet", "component", "use filter=source=\"...\" (Tracker calls the component source) instead")]
    [InlineData("/api/v1alpha1/events/list?namespace=prod", "namespace", "use filter=resources.namespace=\"...\" instead")]
    [InlineData("/api/v1alpha1/events/search?component=kubelet", "component", "use source or filter=source=\"...\" (Tracker calls the component source) instead")]
    [InlineData("/api/v1alpha1/events/today?limit=10", "limit", "use per_page (page-number paging) or page_size (token paging) instead")]
    [InlineData("/api/v1alpha1/events:watch?from=7", "from", "use after_id (the id of the last event seen) instead")]
    [InlineData("/api/v1alpha1/channels/any/deliveries?limit=10", "limit", "use page_size (token paging) instead")]
    public async Task Query_NeighbourParameterName_400WithTheTrackerName(string path, string parameter, string advice)
    {
        var violation = await AssertOneViolationAsync(() => _http.GetRestAsync(path));

        Assert.Equal(parameter, violation.Field);
        Assert.EndsWith(advice, violation.Description, StringComparison.Ordinal);
        Assert.Equal("UNKNOWN_PARAMETER", violation.Reason);
    }

    [Theory]
    [InlineData("GET", "/api/v1alpha1/events/list")]
    [InlineData("GET", "/api/v1alpha1/events/search")]
    [InlineData("GET", "/api/v1alpha1/events/today")]
    [InlineData("GET", "/api/v1alpha1/events:watch")]
    [InlineData("GET", "/api/v1alpha1/event/01a252e0-e315-7c85-b0ed-80fcc85543c5")]
    [InlineData("DELETE", "/api/v1alpha1/event/01a252e0-e315-7c85-b0ed-80fcc85543c5")]
    [InlineData("POST", "/api/v1alpha1/event")]
    [InlineData("PUT", "/api/v1alpha1/event")]
    [InlineData("GET", "/api/v1alpha1/channels")]
    [InlineData("POST", "/api/v1alpha1/channels")]
    [InlineData("GET", "/api/v1alpha1/channels/any")]
    [InlineData("PATCH", "/api/v1alpha1/channels/any")]
    [InlineData("DELETE", "/api/v1alpha1/channels/any")]
    [InlineData("GET", "/api/v1alpha1/channels/any/deliveries")]
    [InlineData("POST", "/api/v1alpha1/channels/any:redeliver")]
    [InlineData("POST", "/api/v1alpha1/channels/any:test")]
    public async Task Query_UnknownParameter_400NamingItOnEveryRoute(string method, string path)
    {
        var body = method is "POST" or "PUT" or "PATCH" ? "{}" : null;

        var response = await _http.SendRestAsync(new HttpMethod(method), path + "?colour=blue", body);

        var violation = Single(Refused(response));
        Assert.Equal("colour", violation.Field);
        Assert.StartsWith("is not a query parameter of ", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_UnknownParameter_MessageListsTheRoutesParameters()
    {
        var status = Refused(await _http.GetRestAsync("/api/v1alpha1/channels/any/deliveries?colour=blue"));

        Assert.Equal(
            "Invalid request: colour is not a query parameter of ListDeliveries; it takes page_size, page_token, state (proto or lowerCamelCase names)",
            status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Query_ParameterOfABodyRoute_400SayingTheFieldsGoInTheBody()
    {
        var violation = Single(Refused(await _http.PostRestAsync(Create + "?title=x", TestEvents.DeploymentJson(TestEvents.UniqueService()))));

        Assert.Equal("is not a query parameter of CreateEvent; POST /api/v1alpha1/event takes no query parameters: its fields go in the JSON body", violation.Description);
    }

    [Fact]
    public async Task Query_PathParameterRepeated_400SayingItIsInThePath()
    {
        var violation = Single(Refused(await _http.GetRestAsync("/api/v1alpha1/event/01a252e0-e315-7c85-b0ed-80fcc85543c5?id=other")));

        Assert.Equal("is not a query parameter of GetEvent; id is taken from the path of GET /api/v1alpha1/event/{id}", violation.Description);
    }

    [Fact]
    public async Task Query_ChannelFieldOfPatchBody_400SayingItGoesInTheBody()
    {
        var violation = Single(Refused(await _http.SendRestAsync(HttpMethod.Patch, "/api/v1alpha1/channels/any?channel.url=https://example.com", "{}")));

        Assert.Equal("is not a query parameter of UpdateChannel; channel goes in the JSON body of PATCH /api/v1alpha1/channels/{channel.name}", violation.Description);
    }

    [Theory]
    [InlineData("/api/v1alpha1/events/list?per_page=5&page=1&exact_total_count=true&order_by=created_at%20desc&filter=service%3D%22x%22&q=deploy")]
    [InlineData("/api/v1alpha1/events/list?perPage=5&page=1&exactTotalCount=True&orderBy=created_at%20desc&filter=service%3D%22x%22&q=deploy")]
    [InlineData("/api/v1alpha1/events/list?page_size=5&query=%7B%22service%22%3A%22x%22%7D")]
    [InlineData("/api/v1alpha1/events/search?type=TYPE_DEPLOYMENT&priority=1&environment=ENVIRONMENT_PRODUCTION&start_date=2024-01-01&endDate=2024-01-31&source=ci&owner=me&impact=IMPACT_HIGH&status=STATUS_DONE&service=x")]
    [InlineData("/api/v1alpha1/events/today?timeZone=Europe/Paris&page_size=5")]
    public async Task Query_KnownParametersInEitherSpelling_200(string path)
    {
        (await _http.GetRestAsync(path)).Expect(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("/api/v1alpha1/events/list?exactTotalCount=maybe", "exactTotalCount", "must be true or false, not \"maybe\"")]
    [InlineData("/api/v1alpha1/events/list?per_page=abc", "per_page", "must be an integer from -2147483648 to 2147483647, not \"abc\"")]
    [InlineData("/api/v1alpha1/events/list?perPage=99999999999", "perPage", "must be an integer from -2147483648 to 2147483647, not \"99999999999\"")]
    [InlineData("/api/v1alpha1/events/search?type=NOPE", "type", "must be one of TYPE_UNSPECIFIED, TYPE_DEPLOYMENT, TYPE_OPERATION, TYPE_DRIFT, TYPE_INCIDENT, TYPE_RPA_USAGE (or its number), not \"NOPE\"")]
    [InlineData("/api/v1alpha1/events/search?priority=42", "priority", "must be one of PRIORITY_UNSPECIFIED, PRIORITY_P1, PRIORITY_P2, PRIORITY_P3, PRIORITY_P4, PRIORITY_P5 (or its number), not \"42\"")]
    [InlineData("/api/v1alpha1/channels/any/deliveries?state=LOST", "state", "must be one of DELIVERY_STATE_UNSPECIFIED, DELIVERY_STATE_PENDING, DELIVERY_STATE_DELIVERED, DELIVERY_STATE_FAILED (or its number), not \"LOST\"")]
    [InlineData("/api/v1alpha1/events:watch?sendInitialEvents=yes", "sendInitialEvents", "must be true or false, not \"yes\"")]
    [InlineData("/api/v1alpha1/events/list?perPage=1&perPage=2", "perPage", "is given more than once; it takes one value")]
    [InlineData("/api/v1alpha1/events/list?per_page=1&perPage=2", "perPage", "sets the same field as per_page; it takes one value")]
    public async Task Query_ValueItsFieldCannotTake_400NamingParameterAndRule(string path, string parameter, string description)
    {
        var status = Refused(await _http.GetRestAsync(path));

        var violation = Single(status);
        Assert.Equal(parameter, violation.Field);
        Assert.Equal(description, violation.Description);
        Assert.Equal($"Invalid request: {parameter} {description}", status.GetProperty("message").GetString());
    }

    /// <summary>A parameter given twice is refused as a body field given twice is: DUPLICATE_FIELD (README, "Each field once").</summary>
    [Theory]
    [InlineData("/api/v1alpha1/events/list?perPage=1&perPage=2")]
    [InlineData("/api/v1alpha1/events/list?per_page=1&perPage=2")]
    public async Task Query_ParameterGivenTwice_ReasonDuplicateField(string path)
    {
        var violation = Single(Refused(await _http.GetRestAsync(path)));

        Assert.Equal("DUPLICATE_FIELD", violation.Reason);
    }

    [Theory]
    [InlineData("""{"titel":"t","attributes":{"type":1,"service":"api"}}""", "titel", "is not a field of CreateEventRequest; its fields are title, attributes, links, requestId, aggregationKey, foldWindow")]
    [InlineData("""{"title":"t","attributes":{"type":1,"service":"api"},"links":{"urll":"https://x"}}""", "links.urll", "is not a field of EventLinks; its fields are pullRequestLink, ticket")]
    [InlineData("""{"title":"t","attributes":{"type":1,"service":"api","resources":[{"kind":"Pod"},{"kindd":"Pod"}]}}""", "attributes.resources[1].kindd", "is not a field of ResourceRef; its fields are kind, id, name, namespace")]
    [InlineData("""{"title":"t","attributes":{"type":1,"service":"api","enviroment":"ENVIRONMENT_PRODUCTION"}}""", "attributes.enviroment", "is not a field of EventAttributes; its fields are message, source, type, priority, relatedId, service, status, environment, impact, startDate, endDate, owner, stakeHolders, notification, notifications, severity, reason, code, resources, labels, arguments")]
    public async Task PostEvent_UnknownField_400NamingItsPathAndCreatesNothing(string body, string field, string description)
    {
        var service = TestEvents.UniqueService();

        var violation = Single(Refused(await _http.PostRestAsync(Create, body.Replace("\"api\"", $"\"{service}\"", StringComparison.Ordinal))));

        Assert.Equal(field, violation.Field);
        Assert.Equal(description, violation.Description);
        Assert.Equal("UNKNOWN_FIELD", violation.Reason);
        Assert.Equal(0, (await _http.GetRestAsync($"/api/v1alpha1/events/search?service={service}")).Expect(HttpStatusCode.OK).GetProperty("totalCount").GetInt64());
    }

    [Fact]
    public async Task PutEvent_MisspeltFieldWithUpdateMask_400AndTheEventIsUnchanged()
    {
        var created = (await _http.PostRestAsync(Create, TestEvents.DeploymentJson(TestEvents.UniqueService()))).Expect(HttpStatusCode.OK);
        var id = created.GetProperty("id").GetString();

        var violation = Single(Refused(await _http.PutRestAsync(Create, $$$"""{"id":"{{{id}}}","updateMask":"attributes.status","attributes":{"statuss":"STATUS_FAILURE"}}""")));

        Assert.Equal("attributes.statuss", violation.Field);
        var after = (await _http.GetRestAsync($"/api/v1alpha1/event/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal(created.GetProperty("etag").GetString(), after.GetProperty("etag").GetString());
        Assert.Equal("STATUS_START", after.GetProperty("attributes").GetProperty("status").GetString());
    }

    [Fact]
    public async Task PutEvent_MisspeltTopLevelFieldWithoutMask_400NamingIt()
    {
        var id = (await _http.PostRestAsync(Create, TestEvents.DeploymentJson(TestEvents.UniqueService()))).Expect(HttpStatusCode.OK).GetProperty("id").GetString();

        var violation = Single(Refused(await _http.PutRestAsync(Create, $$"""{"id":"{{id}}","tilte":"Renamed"}""")));

        Assert.Equal("tilte", violation.Field);
        Assert.StartsWith("is not a field of UpdateEventRequest; its fields are id, title, attributes, links, updateMask, etag", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostChannels_UnknownField_400NamingIt()
    {
        var violation = Single(Refused(await _http.PostRestAsync("/api/v1alpha1/channels", $$"""{"name":"{{TestChannels.UniqueName()}}","kind":"CHANNEL_KIND_WEBHOOK","urll":"{{TestChannels.WebhookUrl}}"}""")));

        Assert.Equal("channel.urll", violation.Field);
        Assert.StartsWith("is not a field of Channel; its fields are name, kind, url,", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostEvent_FieldsByProtoName_AreRead()
    {
        var service = TestEvents.UniqueService();
        var body = $$$"""{"title":"t","request_id":"{{{Guid.NewGuid()}}}","attributes":{"type":"TYPE_DEPLOYMENT","service":"{{{service}}}","stake_holders":["payments"],"start_date":"2024-01-15T10:00:00Z"},"links":{"pull_request_link":"https://github.com/org/repo/pull/7"}}""";

        var created = (await _http.PostRestAsync(Create, body)).Expect(HttpStatusCode.OK);

        Assert.Equal("payments", created.GetProperty("attributes").GetProperty("stakeHolders")[0].GetString());
        Assert.Equal("2024-01-15T10:00:00Z", created.GetProperty("attributes").GetProperty("startDate").GetString());
        Assert.Equal("https://github.com/org/repo/pull/7", created.GetProperty("links").GetProperty("pullRequestLink").GetString());
    }

    /// <summary>AIP-203: output-only fields in a request are ignored, not an error; a create makes a new event with ids and times of its own.</summary>
    [Fact]
    public async Task PostEvent_OutputOnlyFieldsInEitherSpelling_AreIgnored()
    {
        var service = TestEvents.UniqueService();
        const string SentId = "01a252e0-e315-7c85-b0ed-80fcc85543c5";
        var body = $$$"""{"id":"{{{SentId}}}","createdAt":"2020-01-01T00:00:00Z","updated_at":"2020-01-01T00:00:00Z","etag":"abc","count":7,"duration":"5s","firstSeenAt":"2020-01-01T00:00:00Z","last_seen_at":"2020-01-01T00:00:00Z","createdBy":"mallory","updated_by":"mallory","title":"t","attributes":{"type":"TYPE_DEPLOYMENT","service":"{{{service}}}"}}""";

        var created = (await _http.PostRestAsync(Create, body)).Expect(HttpStatusCode.OK);

        Assert.NotEqual(SentId, created.GetProperty("id").GetString());
        Assert.Equal(1, created.GetProperty("count").GetInt32());
        Assert.NotEqual("abc", created.GetProperty("etag").GetString());
        Assert.NotEqual("2020-01-01T00:00:00Z", created.GetProperty("createdAt").GetString());
        Assert.Equal(string.Empty, created.GetProperty("createdBy").GetString());
    }

    /// <summary>An event read with GET, sent back whole to PUT: its output-only fields are ignored, its etag is the precondition.</summary>
    [Fact]
    public async Task PutEvent_EventAsReadWithNewTitle_UpdatesIt()
    {
        var id = (await _http.PostRestAsync(Create, TestEvents.DeploymentJson(TestEvents.UniqueService()))).Expect(HttpStatusCode.OK).GetProperty("id").GetString();
        var read = (await _http.GetRestAsync($"/api/v1alpha1/event/{id}")).Body;
        var edited = System.Text.Json.Nodes.JsonNode.Parse(read)!;
        edited["title"] = "Renamed";

        var updated = (await _http.PutRestAsync(Create, edited.ToJsonString())).Expect(HttpStatusCode.OK);

        Assert.Equal("Renamed", updated.GetProperty("title").GetString());
        Assert.Equal(id, updated.GetProperty("id").GetString());
    }

    /// <summary>The events guide's update example, as written there (status and endDate by number and RFC 3339).</summary>
    [Fact]
    public async Task PutEvent_GuideExample_Updates()
    {
        var id = (await _http.PostRestAsync(Create, TestEvents.DeploymentJson(TestEvents.UniqueService(), endDate: null))).Expect(HttpStatusCode.OK).GetProperty("id").GetString();
        var body = $$"""
            {
                "id": "{{id}}",
                "title": "Deploy user-service v2.1.0 to production",
                "attributes": {
                  "status": 3,
                  "endDate": "2024-01-15T10:05:00Z"
                }
              }
            """;

        var updated = (await _http.PutRestAsync(Create, body)).Expect(HttpStatusCode.OK);

        Assert.Equal("STATUS_SUCCESS", updated.GetProperty("attributes").GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("""{"title":1}""", "title", "must be a string, not a number", "INVALID_TYPE")]
    [InlineData("""{"title":"t","attributes":{"notification":"yes"}}""", "attributes.notification", "must be true or false, not \"yes\"", "INVALID_TYPE")]
    [InlineData("""{"title":"t","attributes":{"code":4.5}}""", "attributes.code", "must be an integer from -2147483648 to 2147483647, not a number", "INVALID_TYPE")]
    [InlineData("""{"title":"t","attributes":{"code":"42"}}""", "attributes.code", "must be an integer from -2147483648 to 2147483647, not \"42\"", "INVALID_TYPE")]
    [InlineData("""{"title":"t","attributes":{"labels":{"team":1}}}""", "attributes.labels.team", "must be a string, not a number", "INVALID_TYPE")]
    [InlineData("""{"title":"t","attributes":{"stakeHolders":"payments"}}""", "attributes.stake_holders", "must be a JSON array, not a string", "INVALID_TYPE")]
    [InlineData("""{"title":"t","attributes":{"stakeHolders":null}}""", "attributes.stake_holders", "must be a JSON array, not null", "INVALID_TYPE")]
    [InlineData("""{"title":"t","attributes":{"resources":[null]}}""", "attributes.resources[0]", "must be a JSON object (ResourceRef), not null", "INVALID_TYPE")]
    [InlineData("""{"title":"t","attributes":[]}""", "attributes", "must be a JSON object (EventAttributes), not an array", "INVALID_TYPE")]
    [InlineData("""{"title":"t","attributes":{"startDate":"yesterday"}}""", "attributes.start_date", "must be an RFC 3339 timestamp such as 2024-01-15T10:00:00Z, not \"yesterday\"", "INVALID_FORMAT")]
    [InlineData("""{"title":"t","attributes":{"startDate":1705312800}}""", "attributes.start_date", "must be an RFC 3339 timestamp such as 2024-01-15T10:00:00Z, not a number", "INVALID_TYPE")]
    [InlineData("""{"title":"t","foldWindow":30}""", "fold_window", "must be a duration in seconds such as 30s or 1.5s, not a number", "INVALID_TYPE")]
    [InlineData("""{"title":"t","attributes":{"type":"type_deployment"}}""", "attributes.type", "must be one of TYPE_UNSPECIFIED, TYPE_DEPLOYMENT, TYPE_OPERATION, TYPE_DRIFT, TYPE_INCIDENT, TYPE_RPA_USAGE (or its number), not \"type_deployment\"", "INVALID_FORMAT")]
    public async Task PostEvent_ValueOfTheWrongType_400NamingFieldAndRule(string body, string field, string description, string reason)
    {
        var status = Refused(await _http.PostRestAsync(Create, body));

        var violation = Single(status);
        Assert.Equal((field, description, reason), (violation.Field, violation.Description, violation.Reason));
        Assert.Equal($"Invalid request body: {field} {description}", status.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("", "The request body is empty; POST /api/v1alpha1/event takes a JSON object (CreateEventRequest).")]
    [InlineData("[]", "The request body must be a JSON object (CreateEventRequest), not an array.")]
    [InlineData("{\"title\":\"t\",}", "The request body is not valid JSON, or nests deeper than 64 levels (line 1, byte 14).")]
    public async Task PostEvent_BodyNotAJsonObject_400SayingSo(string body, string message)
    {
        var status = Refused(await _http.PostRestAsync(Create, body));

        Assert.Equal(message, status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task DeleteEvent_JsonBodyWithEtag_400AndTheEventStays()
    {
        var id = (await _http.PostRestAsync(Create, TestEvents.DeploymentJson(TestEvents.UniqueService()))).Expect(HttpStatusCode.OK).GetProperty("id").GetString();

        var status = Refused(await _http.SendRestAsync(HttpMethod.Delete, $"/api/v1alpha1/event/{id}", """{"etag":"wrong","bogus":1}"""));

        Assert.Equal("DeleteEvent takes no request body (DELETE /api/v1alpha1/event/{id}); send its fields as query parameters (etag, allow_missing).", status.GetProperty("message").GetString());
        (await _http.GetRestAsync($"/api/v1alpha1/event/{id}")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ListEvents_GetWithJsonBody_400SayingItTakesQueryParameters()
    {
        var status = Refused(await _http.SendRestAsync(HttpMethod.Get, "/api/v1alpha1/events/list", """{"perPage":5}"""));

        Assert.StartsWith("ListEvents takes no request body (GET /api/v1alpha1/events/list); send its fields as query parameters (", status.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Clients that label every request application/json send an empty body (Content-Length: 0) with GET and DELETE.</summary>
    [Fact]
    public async Task DeleteEvent_EmptyJsonBody_Deletes()
    {
        var id = (await _http.PostRestAsync(Create, TestEvents.DeploymentJson(TestEvents.UniqueService()))).Expect(HttpStatusCode.OK).GetProperty("id").GetString();

        (await _http.SendRestAsync(HttpMethod.Delete, $"/api/v1alpha1/event/{id}", string.Empty)).Expect(HttpStatusCode.OK);
        (await _http.SendRestAsync(HttpMethod.Get, "/api/v1alpha1/events/list?per_page=1", string.Empty)).Expect(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("""{"title":"a","title":"b","attributes":{"type":1,"service":"api"}}""", "title", "is given more than once; it takes one value")]
    [InlineData("""{"title":"t","attributes":{"type":1,"service":"api","start_date":"2024-01-15T10:00:00Z","startDate":"2024-01-16T10:00:00Z"}}""", "attributes.startDate", "sets the same field as start_date; it takes one value")]
    [InlineData("""{"title":"t","attributes":{"type":1,"service":"api","labels":{"team":"a","team":"b"}}}""", "attributes.labels.team", "is a map key given more than once; each key takes one value")]
    public async Task PostEvent_SameFieldTwice_400NamingItAndCreatesNothing(string body, string field, string description)
    {
        var service = TestEvents.UniqueService();

        var violation = Single(Refused(await _http.PostRestAsync(Create, body.Replace("\"api\"", $"\"{service}\"", StringComparison.Ordinal))));

        Assert.Equal((field, description, "DUPLICATE_FIELD"), violation);
        Assert.Equal(0, (await _http.GetRestAsync($"/api/v1alpha1/events/search?service={service}")).Expect(HttpStatusCode.OK).GetProperty("totalCount").GetInt64());
    }

    [Fact]
    public async Task PatchChannel_OtherNameInBody_400AndNeitherChannelChanges()
    {
        var name = await CreateChannelAsync();

        var violation = Single(Refused(await _http.SendRestAsync(HttpMethod.Patch, $"/api/v1alpha1/channels/{name}", """{"name":"ci-hooks","disabled":true}""")));

        Assert.Equal(("channel.name", $"is taken from the path of PATCH /api/v1alpha1/channels/{{channel.name}} (\"{name}\"); leave it out of the body or give the same value", "CONFLICTS_WITH_PATH"), violation);
        var read = (await _http.GetRestAsync($"/api/v1alpha1/channels/{name}")).Expect(HttpStatusCode.OK);
        Assert.False(read.TryGetProperty("disabled", out var disabled) && disabled.GetBoolean());
    }

    /// <summary>A resource name in the body equal to the path's is accepted, as Google's APIs accept it.</summary>
    [Fact]
    public async Task PatchChannel_SameNameInBody_Updates()
    {
        var name = await CreateChannelAsync();

        var updated = (await _http.SendRestAsync(HttpMethod.Patch, $"/api/v1alpha1/channels/{name}", $$"""{"name":"{{name}}","disabled":true}""")).Expect(HttpStatusCode.OK);

        Assert.True(updated.GetProperty("disabled").GetBoolean());
    }

    [Theory]
    [InlineData(":test")]
    [InlineData(":redeliver")]
    public async Task ChannelAction_OtherNameInBody_400NamingIt(string verb)
    {
        var violation = Single(Refused(await _http.PostRestAsync($"/api/v1alpha1/channels/any{verb}", """{"name":"ci-hooks"}""")));

        Assert.Equal("name", violation.Field);
        Assert.StartsWith($"is taken from the path of POST /api/v1alpha1/channels/{{name}}{verb} (\"any\")", violation.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"abc\"", "not \"abc\"", "INVALID_FORMAT")]
    [InlineData("\"99999999999999999999\"", "not \"99999999999999999999\"", "INVALID_FORMAT")]
    [InlineData("99999999999999999999", "not a number", "INVALID_TYPE")]
    public async Task PatchChannel_Int64OutOfRangeOrNotAnInteger_400NamingFieldAndRange(string value, string given, string reason)
    {
        var violation = Single(Refused(await _http.SendRestAsync(HttpMethod.Patch, "/api/v1alpha1/channels/any", $$$"""{"health":{"pendingMessages":{{{value}}}}}""")));

        Assert.Equal(("channel.health.pending_messages", $"must be an integer from -9223372036854775808 to 9223372036854775807, {given}", reason), violation);
    }

    [Fact]
    public async Task Query_EmptyName_400SayingSo()
    {
        var status = Refused(await _http.GetRestAsync("/api/v1alpha1/channels/any/deliveries?=x"));

        Assert.Equal("Invalid request: a query parameter with an empty name (\"=x\") is not taken; ListDeliveries takes page_size, page_token, state (proto or lowerCamelCase names)", status.GetProperty("message").GetString());
    }

    /// <summary>A transcoded route reads JSON whatever the Content-Type says; gRPC calls have routes of their own.</summary>
    [Theory]
    [InlineData("application/grpc")]
    [InlineData("application/grpc-web")]
    public async Task ListEvents_GrpcContentTypeOnTheRestRoute_415NamingTheGrpcRoute(string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1alpha1/events/list?limit=5") { Content = new ByteArrayContent([]) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var message = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString();
        Assert.Equal("GET /api/v1alpha1/events/list reads JSON: send Content-Type application/json (or any +json type), or no body where it takes none. gRPC and gRPC-Web calls go to POST /tracker.event.v1alpha1.EventService/ListEvents.", message);
    }

    /// <summary>Protobuf keeps unknown fields of a binary message and the server ignores them (the protobuf language guide, "Unknown Fields").</summary>
    [Theory]
    [InlineData("application/grpc")]
    [InlineData("application/grpc-web")]
    public async Task CreateEvent_UnknownFieldInBinaryProtobuf_Succeeds(string contentType)
    {
        // Field 99, varint 1: no field of CreateEventRequest has that number.
        byte[] message = [.. TestEvents.Deployment().ToByteArray(), 0x98, 0x06, 0x01];

        var response = await RawGrpc.SendAsync(factory.Server.CreateClient(), EventService.Descriptor.FullName, "CreateEvent", RawGrpc.Frame(message), contentType);

        // gRPC-Web sends its status in a trailer frame at the end of the body.
        var ok = response.GrpcStatus == StatusCode.OK || System.Text.RegularExpressions.Regex.IsMatch(System.Text.Encoding.ASCII.GetString(response.Body), "grpc-status: ?0\r\n");
        Assert.True(ok, response.ToString());
        Assert.Equal("Deploy api v3.2.0", Event.Parser.ParseFrom(response.Body.AsSpan(5, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(response.Body.AsSpan(1)))).Title);
    }

    private async Task<string> CreateChannelAsync()
    {
        var name = TestChannels.UniqueName();
        (await _http.PostRestAsync("/api/v1alpha1/channels", $$"""{"name":"{{name}}","kind":"CHANNEL_KIND_WEBHOOK","url":"{{TestChannels.WebhookUrl}}"}""")).Expect(HttpStatusCode.OK);
        return name;
    }

    private static JsonElement Refused(RestResponse response)
    {
        var status = response.Expect(HttpStatusCode.BadRequest);
        Assert.Equal(3, status.GetProperty("code").GetInt32());
        var message = status.GetProperty("message").GetString()!;
        // Never .NET's exception text.
        Assert.DoesNotContain("was not recognized", message, StringComparison.Ordinal);
        Assert.DoesNotContain("input string", message, StringComparison.Ordinal);
        Assert.DoesNotContain("not correctly formatted", message, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", message, StringComparison.Ordinal);
        return status;
    }

    private static (string Field, string Description, string Reason) Single(JsonElement status)
    {
        var violation = Assert.Single(status.GetProperty("details")[0].GetProperty("fieldViolations").EnumerateArray());
        return (violation.GetProperty("field").GetString()!, violation.GetProperty("description").GetString()!, violation.GetProperty("reason").GetString()!);
    }

    private async Task<(string Field, string Description, string Reason)> AssertOneViolationAsync(Func<Task<RestResponse>> send)
    {
        var status = Refused(await send());
        var violation = Single(status);
        Assert.Contains(violation.Field, status.GetProperty("message").GetString(), StringComparison.Ordinal);
        return violation;
    }
}
