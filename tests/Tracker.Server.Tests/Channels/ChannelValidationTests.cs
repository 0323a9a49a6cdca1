using System.Net;
using Google.Protobuf;
using Grpc.Core;
using Tracker.Api.V1Alpha1;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.Channels;

/// <summary>
/// CreateChannel's rules, as a table of invalid channels with the exact field violations, over
/// gRPC and REST alike: every violation is reported at once on its field path, and the status
/// message starts "Invalid channel:". The target and secret rows are ChannelTargets' rules and
/// messages, the ones the senders hold a stored channel to.
/// </summary>
public sealed class ChannelValidationTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private const string NameRule = "must be lowercase letters, digits, '-', '_' and '.', starting with a letter or digit";
    private const string SecretRule = "must be \"whsec_\" followed by the base64 of 24 to 64 bytes";
    private const string AddressRule = "must be an email address (RFC 5322 addr-spec, e.g. oncall@example.com)";

    private readonly ChannelService.ChannelServiceClient _client = factory.CreateChannelClient();
    private readonly HttpClient _http = factory.CreateClient();

    public static TheoryData<string, string[]> InvalidChannels() => new()
    {
        { """{}""", ["channel.name|is required", "channel.kind|is required: CHANNEL_KIND_WEBHOOK, CHANNEL_KIND_SLACK or CHANNEL_KIND_EMAIL"] },
        { $$"""{"name":"{{new string('a', 64)}}","kind":"CHANNEL_KIND_EMAIL","emailTo":["a@example.com"]}""", ["channel.name|must be at most 63 characters"] },
        { """{"name":"Ops","kind":"CHANNEL_KIND_EMAIL","emailTo":["a@example.com"]}""", [$"channel.name|{NameRule}"] },
        { """{"name":"-ops","kind":"CHANNEL_KIND_EMAIL","emailTo":["a@example.com"]}""", [$"channel.name|{NameRule}"] },
        { """{"name":"on call","kind":"CHANNEL_KIND_EMAIL","emailTo":["a@example.com"]}""", [$"channel.name|{NameRule}"] },
        { """{"name":"ops","kind":9}""", ["channel.kind|must be CHANNEL_KIND_WEBHOOK, CHANNEL_KIND_SLACK or CHANNEL_KIND_EMAIL, not 9"] },
        { """{"name":"ops","kind":"CHANNEL_KIND_WEBHOOK"}""", ["channel.url|is required: the target URL"] },
        { """{"name":"ops","kind":"CHANNEL_KIND_SLACK"}""", ["channel.url|is required: the target URL"] },
        { """{"name":"ops","kind":"CHANNEL_KIND_WEBHOOK","url":"hooks.example.com/x"}""", ["channel.url|must be an absolute URL"] },
        { """{"name":"ops","kind":"CHANNEL_KIND_WEBHOOK","url":"http://hooks.example.com/x"}""", ["channel.url|must be https (http only with Notifications:AllowHttp)"] },
        { """{"name":"ops","kind":"CHANNEL_KIND_WEBHOOK","url":"ftp://hooks.example.com/x"}""", ["channel.url|must be https"] },
        { $$"""{"name":"ops","kind":"CHANNEL_KIND_WEBHOOK","url":"https://hooks.example.com/{{new string('x', 2000)}}"}""", ["channel.url|must be at most 2000 characters"] },
        { """{"name":"ops","kind":"CHANNEL_KIND_WEBHOOK","url":"https://hooks.example.com/x","emailTo":["a@example.com"]}""", ["channel.email_to|must be empty for a webhook channel"] },
        { """{"name":"ops","kind":"CHANNEL_KIND_EMAIL"}""", ["channel.email_to|is required for an email channel: 1 to 50 addresses"] },
        { """{"name":"ops","kind":"CHANNEL_KIND_EMAIL","url":"https://hooks.example.com/x","emailTo":["a@example.com"]}""", ["channel.url|must be empty for an email channel"] },
        { """{"name":"ops","kind":"CHANNEL_KIND_EMAIL","emailTo":["a@example.com","On Call <b@example.com>","nobody"]}""", [$"channel.email_to[1]|{AddressRule}", $"channel.email_to[2]|{AddressRule}"] },
        { """{"name":"ops","kind":"CHANNEL_KIND_WEBHOOK","url":"https://hooks.example.com/x#part"}""", ["channel.url|must not have a fragment (\"#...\")"] },
        { """{"name":"ops","kind":"CHANNEL_KIND_WEBHOOK","url":"https://hooks.example.com/a\r\nX-Evil: 1"}""", ["channel.url|must not contain spaces or control characters (percent-encode them, RFC 3986)"] },
        { """{"name":"ops","kind":"CHANNEL_KIND_SLACK","url":"https://hooks.slack.com/services/T0 B0"}""", ["channel.url|must not contain spaces or control characters (percent-encode them, RFC 3986)"] },
        { """{"name":"ops","kind":"CHANNEL_KIND_WEBHOOK","url":"https://hooks.example.com:0/x"}""", ["channel.url|must not name port 0"] },
        { """{"name":"ops","kind":"CHANNEL_KIND_EMAIL","emailTo":["a@example.com","A@example.com"]}""", ["channel.email_to[1]|repeats an earlier address"] },
        { $$"""{"name":"ops","kind":"CHANNEL_KIND_EMAIL","emailTo":[{{string.Join(",", Enumerable.Range(0, 51).Select(i => $"\"u{i}@example.com\""))}}]}""", ["channel.email_to|must have at most 50 addresses"] },
        { """{"name":"ops","kind":"CHANNEL_KIND_EMAIL","emailTo":["a@example.com"],"changeTypes":["CHANGE_TYPE_UNSPECIFIED"]}""", ["channel.change_types[0]|must be CHANGE_TYPE_CREATED, CHANGE_TYPE_UPDATED or CHANGE_TYPE_DELETED, not CHANGE_TYPE_UNSPECIFIED"] },
        { """{"name":"ops","kind":"CHANNEL_KIND_EMAIL","emailTo":["a@example.com"],"changeTypes":["CHANGE_TYPE_CREATED","CHANGE_TYPE_DELETED","CHANGE_TYPE_CREATED"]}""", ["channel.change_types[2]|repeats CHANGE_TYPE_CREATED"] },
        { $$"""{"name":"ops","kind":"CHANNEL_KIND_SLACK","url":"{{TestChannels.SlackUrl}}","secret":"{{TestChannels.KnownSecret}}"}""", ["channel.secret|must be empty for a slack channel"] },
        { """{"name":"ops","kind":"CHANNEL_KIND_WEBHOOK","url":"https://hooks.example.com/x","secret":"hunter2"}""", [$"channel.secret|{SecretRule}"] },
        { """{"name":"ops","kind":"CHANNEL_KIND_WEBHOOK","url":"https://hooks.example.com/x","secret":"whsec_c2hvcnQ="}""", [$"channel.secret|{SecretRule}"] },
        { """{"name":"ops","kind":"CHANNEL_KIND_WEBHOOK","url":"https://hooks.example.com/x","secret":"whsec_not base64!"}""", [$"channel.secret|{SecretRule}"] },
    };

    [Theory]
    [MemberData(nameof(InvalidChannels))]
    public async Task CreateChannel_InvalidOverGrpc_EveryViolationOnItsField(string json, string[] expected)
    {
        var channel = JsonParser.Default.Parse<Channel>(json);

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.CreateChannelAsync(new CreateChannelRequest { Channel = channel }).Bounded());

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(expected, TestChannels.Violations(error).Select(v => $"{v.Field}|{v.Description}"));
        Assert.StartsWith("Invalid channel: " + expected[0].Replace('|', ' '), error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(InvalidChannels))]
    public async Task PostChannels_InvalidOverRest_400WithEveryViolation(string json, string[] expected)
    {
        var status = (await _http.PostRestAsync("/api/v1alpha1/channels", json)).Expect(HttpStatusCode.BadRequest);

        var violations = status.GetProperty("details")[0].GetProperty("fieldViolations").EnumerateArray()
            .Select(v => $"{v.GetProperty("field").GetString()}|{v.GetProperty("description").GetString()}");
        Assert.Equal(expected, violations);
    }

    [Theory]
    [InlineData("severity >")]
    [InlineData("colour = red")]
    [InlineData("(type = DEPLOYMENT")]
    public async Task CreateChannel_BadFilter_TheMessageListEventsGives(string filter)
    {
        var listing = (await _http.GetRestAsync($"/api/v1alpha1/events/list?filter={Uri.EscapeDataString(filter)}")).Expect(HttpStatusCode.BadRequest);
        var listEventsViolation = listing.GetProperty("details")[0].GetProperty("fieldViolations")[0];
        Assert.Equal("filter", listEventsViolation.GetProperty("field").GetString());
        var channel = TestChannels.Email();
        channel.Filter = filter;

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.CreateChannelAsync(new CreateChannelRequest { Channel = channel }).Bounded());

        Assert.Equal([("channel.filter", listEventsViolation.GetProperty("description").GetString()!)], TestChannels.Violations(error));
    }

    [Fact]
    public async Task CreateChannel_HttpUrlWhenAllowed_Created()
    {
        await using var allowing = new TrackerFactory { Settings = { ["Notifications:AllowHttp"] = "true" } };
        var channel = TestChannels.Webhook(url: "http://hooks.example.com/tracker");

        var created = await allowing.CreateChannelClient().CreateChannelAsync(new CreateChannelRequest { Channel = channel }).Bounded();

        Assert.Equal("http://hooks.example.com/tracker", created.Url);
    }
}
