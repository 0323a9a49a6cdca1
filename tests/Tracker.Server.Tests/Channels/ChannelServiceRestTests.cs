using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Events.Notifications;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.Channels;

/// <summary>
/// Every ChannelService RPC over REST, on the paths the API promises: POST and GET
/// /api/v1alpha1/channels, GET, PATCH and DELETE /api/v1alpha1/channels/{name},
/// GET /api/v1alpha1/channels/{name}/deliveries, POST /api/v1alpha1/channels/{name}:redeliver
/// and POST /api/v1alpha1/channels/{name}:test; JSON in lowerCamelCase with enums by name.
/// </summary>
public sealed class ChannelServiceRestTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly HttpClient _http = factory.CreateClient();

    private INotificationStore Store => factory.Services.GetRequiredService<INotificationStore>();

    [Fact]
    public async Task PostChannels_Webhook_ReturnsTheChannelWithItsSecret()
    {
        var name = TestChannels.UniqueName();

        var response = await _http.PostRestAsync("/api/v1alpha1/channels", $$"""{"name":"{{name}}","kind":"CHANNEL_KIND_WEBHOOK","url":"{{TestChannels.WebhookUrl}}","changeTypes":["CHANGE_TYPE_CREATED"],"filter":"severity>=ERROR"}""");

        var json = response.Expect(HttpStatusCode.OK);
        Assert.Equal(name, json.GetProperty("name").GetString());
        Assert.Equal("CHANNEL_KIND_WEBHOOK", json.GetProperty("kind").GetString());
        Assert.Equal(TestChannels.WebhookUrl, json.GetProperty("url").GetString());
        Assert.StartsWith("whsec_", json.GetProperty("secret").GetString(), StringComparison.Ordinal);
        Assert.Equal(["CHANGE_TYPE_CREATED"], json.GetProperty("changeTypes").EnumerateArray().Select(e => e.GetString()));
        Assert.NotEmpty(json.GetProperty("etag").GetString()!);
        Assert.Equal(json.GetProperty("createTime").GetString(), json.GetProperty("updateTime").GetString());
    }

    [Fact]
    public async Task PostChannels_TakenName_409AlreadyExists()
    {
        var name = await CreateAsync();

        var response = await _http.PostRestAsync("/api/v1alpha1/channels", EmailJson(name));

        var status = response.Expect(HttpStatusCode.Conflict);
        Assert.Equal(6, status.GetProperty("code").GetInt32());
        Assert.Equal($"Channel '{name}' already exists.", status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task GetChannels_Created_ListedWithoutSecrets()
    {
        var name = await CreateWebhookAsync();

        var json = (await _http.GetRestAsync("/api/v1alpha1/channels")).Expect(HttpStatusCode.OK);

        var channel = json.GetProperty("channels").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        Assert.Equal(string.Empty, channel.GetProperty("secret").GetString());
        Assert.Equal(TestChannels.WebhookUrlRedacted, channel.GetProperty("url").GetString());
        Assert.Equal(JsonValueKind.Object, channel.GetProperty("health").ValueKind);
    }

    [Fact]
    public async Task GetChannel_NameInPath_TheChannelWithHealth()
    {
        var name = await CreateWebhookAsync();

        var json = (await _http.GetRestAsync($"/api/v1alpha1/channels/{name}")).Expect(HttpStatusCode.OK);

        Assert.Equal(name, json.GetProperty("name").GetString());
        Assert.Equal(string.Empty, json.GetProperty("secret").GetString());
        Assert.Equal(TestChannels.WebhookUrlRedacted, json.GetProperty("url").GetString());
        Assert.Equal(0, json.GetProperty("health").GetProperty("pendingMessages").GetInt64());
    }

    [Fact]
    public async Task GetChannel_Unknown_404()
    {
        var status = (await _http.GetRestAsync("/api/v1alpha1/channels/no-such-channel")).Expect(HttpStatusCode.NotFound);

        Assert.Equal("Channel 'no-such-channel' was not found.", status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task PatchChannel_DisabledFalsePresent_Enables()
    {
        var name = await CreateAsync(disabled: true);

        var json = (await _http.SendRestAsync(HttpMethod.Patch, $"/api/v1alpha1/channels/{name}", """{"disabled": false}""")).Expect(HttpStatusCode.OK);

        Assert.False(json.GetProperty("disabled").GetBoolean());
    }

    [Fact]
    public async Task PatchChannel_EmptyFilterPresent_RemovesTheFilter()
    {
        var name = await CreateAsync(filter: "severity>=ERROR");

        var json = (await _http.SendRestAsync(HttpMethod.Patch, $"/api/v1alpha1/channels/{name}", """{"filter": ""}""")).Expect(HttpStatusCode.OK);

        Assert.Equal(string.Empty, json.GetProperty("filter").GetString());
    }

    [Fact]
    public async Task PatchChannel_FieldsAbsent_Unchanged()
    {
        var name = await CreateAsync(filter: "severity>=ERROR", disabled: true);

        var json = (await _http.SendRestAsync(HttpMethod.Patch, $"/api/v1alpha1/channels/{name}", """{"emailTo": ["sre@example.com"]}""")).Expect(HttpStatusCode.OK);

        Assert.Equal(["sre@example.com"], json.GetProperty("emailTo").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("severity>=ERROR", json.GetProperty("filter").GetString());
        Assert.True(json.GetProperty("disabled").GetBoolean());
    }

    [Fact]
    public async Task PatchChannel_MisspeltField_400OnItsPathAndUnchanged()
    {
        var name = await CreateAsync(disabled: false);

        var status = (await _http.SendRestAsync(HttpMethod.Patch, $"/api/v1alpha1/channels/{name}", """{"disable": true, "filter": "severity>=ERROR"}""")).Expect(HttpStatusCode.BadRequest);

        var violation = status.GetProperty("details")[0].GetProperty("fieldViolations")[0];
        Assert.Equal("channel.disable", violation.GetProperty("field").GetString());
        Assert.Equal("UNKNOWN_FIELD", violation.GetProperty("reason").GetString());
        var stored = (await _http.GetRestAsync($"/api/v1alpha1/channels/{name}")).Expect(HttpStatusCode.OK);
        Assert.False(stored.GetProperty("disabled").GetBoolean());
        Assert.Equal(string.Empty, stored.GetProperty("filter").GetString());
    }

    [Fact]
    public async Task PatchChannel_WebhookAsReadWithOneChange_ThatChangeOnlyAndTheSecretKept()
    {
        var name = await CreateWebhookAsync();
        var before = await Store.GetChannelAsync(name, CancellationToken.None);
        var read = (await _http.GetRestAsync($"/api/v1alpha1/channels/{name}")).Expect(HttpStatusCode.OK);
        var edited = read.GetRawText().Replace("\"disabled\":false", "\"disabled\":true", StringComparison.Ordinal);

        var json = (await _http.SendRestAsync(HttpMethod.Patch, $"/api/v1alpha1/channels/{name}", edited)).Expect(HttpStatusCode.OK);

        Assert.True(json.GetProperty("disabled").GetBoolean());
        var after = await Store.GetChannelAsync(name, CancellationToken.None);
        Assert.Equal(before!.Secret, after!.Secret);
        Assert.Equal(before.Url, after.Url);
    }

    [Fact]
    public async Task PatchChannel_ProtoFieldNames_Accepted()
    {
        var name = await CreateAsync();

        var json = (await _http.SendRestAsync(HttpMethod.Patch, $"/api/v1alpha1/channels/{name}", """{"change_types": ["CHANGE_TYPE_DELETED"]}""")).Expect(HttpStatusCode.OK);

        Assert.Equal(["CHANGE_TYPE_DELETED"], json.GetProperty("changeTypes").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task PatchChannel_UpdateMaskInQuery_OnlyThoseFields()
    {
        var name = await CreateAsync(filter: "severity>=ERROR");

        var json = (await _http.SendRestAsync(HttpMethod.Patch, $"/api/v1alpha1/channels/{name}?updateMask=filter", """{"filter": "", "disabled": true}""")).Expect(HttpStatusCode.OK);

        Assert.Equal(string.Empty, json.GetProperty("filter").GetString());
        Assert.False(json.GetProperty("disabled").GetBoolean());
    }

    [Fact]
    public async Task PatchChannel_StaleEtag_409Aborted()
    {
        var name = await CreateAsync();
        await _http.SendRestAsync(HttpMethod.Patch, $"/api/v1alpha1/channels/{name}", """{"disabled": true}""");

        var response = await _http.SendRestAsync(HttpMethod.Patch, $"/api/v1alpha1/channels/{name}", """{"disabled": false, "etag": "c3RhbGUtZXRhZw"}""");

        var status = response.Expect(HttpStatusCode.Conflict);
        Assert.Equal(10, status.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task PatchChannel_KindChanged_400()
    {
        var name = await CreateAsync();

        var status = (await _http.SendRestAsync(HttpMethod.Patch, $"/api/v1alpha1/channels/{name}", """{"kind": "CHANNEL_KIND_SLACK"}""")).Expect(HttpStatusCode.BadRequest);

        Assert.Equal("Invalid channel: channel.kind cannot change (it is CHANNEL_KIND_EMAIL): delete the channel and create it again", status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task DeleteChannel_NameInPath_200ThenGone()
    {
        var name = await CreateAsync();

        (await _http.DeleteRestAsync($"/api/v1alpha1/channels/{name}")).Expect(HttpStatusCode.OK);

        (await _http.GetRestAsync($"/api/v1alpha1/channels/{name}")).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task DeleteChannel_StaleEtagInQuery_409()
    {
        var name = await CreateAsync();

        (await _http.DeleteRestAsync($"/api/v1alpha1/channels/{name}?etag=c3RhbGUtZXRhZw")).Expect(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task GetDeliveries_PageSizeAndStateInQuery_ThePage()
    {
        var name = await CreateAsync();
        await DeliveryLogs.AddTestMessagesAsync(Store, name, 5);

        var json = (await _http.GetRestAsync($"/api/v1alpha1/channels/{name}/deliveries?pageSize=1&state=DELIVERY_STATE_DELIVERED")).Expect(HttpStatusCode.OK);

        var delivery = Assert.Single(json.GetProperty("deliveries").EnumerateArray());
        Assert.Equal("DELIVERY_STATE_DELIVERED", delivery.GetProperty("state").GetString());
        Assert.True(delivery.GetProperty("test").GetBoolean());
        Assert.Equal("0.012s", delivery.GetProperty("attempts")[0].GetProperty("latency").GetString());
        var next = json.GetProperty("nextPageToken").GetString();
        Assert.NotEmpty(next!);
        var second = (await _http.GetRestAsync($"/api/v1alpha1/channels/{name}/deliveries?pageSize=1&state=DELIVERY_STATE_DELIVERED&pageToken={Uri.EscapeDataString(next!)}")).Expect(HttpStatusCode.OK);
        Assert.NotEqual(delivery.GetProperty("id").GetString(), second.GetProperty("deliveries")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task GetDeliveries_NegativePageSize_400()
    {
        var name = await CreateAsync();

        var status = (await _http.GetRestAsync($"/api/v1alpha1/channels/{name}/deliveries?pageSize=-5")).Expect(HttpStatusCode.BadRequest);

        Assert.Equal("Invalid request: page_size must not be negative", status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task PostRedeliver_AfterChangeId_TheCount()
    {
        var name = await CreateAsync(disabled: true);
        await DeliveryLogs.RouteAsync(Store, name, 2);

        var json = (await _http.PostRestAsync($"/api/v1alpha1/channels/{name}:redeliver", """{"afterChangeId": "0"}""")).Expect(HttpStatusCode.OK);

        Assert.Equal(2, json.GetProperty("redeliveredCount").GetInt32());
    }

    [Fact]
    public async Task PostRedeliver_DeliveryId_One()
    {
        var name = await CreateAsync(disabled: true);
        var ids = await DeliveryLogs.RouteAsync(Store, name, 2);

        var json = (await _http.PostRestAsync($"/api/v1alpha1/channels/{name}:redeliver", $$"""{"deliveryId": "{{ids[0]}}"}""")).Expect(HttpStatusCode.OK);

        Assert.Equal(1, json.GetProperty("redeliveredCount").GetInt32());
    }

    [Fact]
    public async Task PostRedeliver_UnknownDelivery_404()
    {
        var name = await CreateAsync();

        (await _http.PostRestAsync($"/api/v1alpha1/channels/{name}:redeliver", """{"deliveryId": "msg_unknown"}""")).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PostTest_UnknownChannel_404()
    {
        (await _http.PostRestAsync("/api/v1alpha1/channels/no-such-channel:test", "{}")).Expect(HttpStatusCode.NotFound);
    }

    private static string EmailJson(string name, string? filter = null, bool disabled = false) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["name"] = name,
            ["kind"] = "CHANNEL_KIND_EMAIL",
            ["emailTo"] = new[] { "oncall@example.com" },
            ["filter"] = filter ?? string.Empty,
            ["disabled"] = disabled,
        });

    private async Task<string> CreateAsync(string? filter = null, bool disabled = false)
    {
        var name = TestChannels.UniqueName();
        (await _http.PostRestAsync("/api/v1alpha1/channels", EmailJson(name, filter, disabled))).Expect(HttpStatusCode.OK);
        return name;
    }

    private async Task<string> CreateWebhookAsync()
    {
        var name = TestChannels.UniqueName();
        (await _http.PostRestAsync("/api/v1alpha1/channels", $$"""{"name":"{{name}}","kind":"CHANNEL_KIND_WEBHOOK","url":"{{TestChannels.WebhookUrl}}"}""")).Expect(HttpStatusCode.OK);
        return name;
    }
}
