using System.Net;
using System.Text.Json;
using Tracker.Server.Tests.Support;

namespace Tracker.Server.Tests.Api;

/// <summary>
/// attributes.arguments, the MWS events API's list of strings (its seed: "arguments": ["vm1"]),
/// end to end over REST: create, get, update (with and without a mask), filter, query, validation.
/// </summary>
public sealed class ArgumentsFieldTests(TrackerFactory factory) : IClassFixture<TrackerFactory>
{
    private readonly HttpClient _http = factory.CreateClient();

    [Fact]
    public async Task CreateGetUpdate_Arguments_AreStoredAndReplacedAsAList()
    {
        var service = TestEvents.UniqueService();
        var created = (await _http.PostRestAsync("/api/v1alpha1/event", Create(service, "\"vm1\""))).Expect(HttpStatusCode.OK);
        var id = created.GetProperty("id").GetString()!;

        Assert.Equal(["vm1"], Arguments(created));
        Assert.Equal(["vm1"], Arguments((await _http.GetRestAsync($"/api/v1alpha1/event/{id}")).Expect(HttpStatusCode.OK)));

        var replaced = (await _http.PutRestAsync("/api/v1alpha1/event", $$$"""{"id":"{{{id}}}","attributes":{"arguments":["vm2","vm3"]}}""")).Expect(HttpStatusCode.OK);
        Assert.Equal(["vm2", "vm3"], Arguments(replaced));

        var cleared = (await _http.PutRestAsync("/api/v1alpha1/event", $$$"""{"id":"{{{id}}}","updateMask":"attributes.arguments"}""")).Expect(HttpStatusCode.OK);
        Assert.Empty(Arguments(cleared));
        Assert.Equal(service, cleared.GetProperty("attributes").GetProperty("service").GetString());
    }

    [Fact]
    public async Task ListEvents_ArgumentsFilterOrQuery_FindsTheEventsHoldingTheValue()
    {
        var service = TestEvents.UniqueService();
        var vm1 = (await _http.PostRestAsync("/api/v1alpha1/event", Create(service, "\"vm1\",\"vm2\""))).Expect(HttpStatusCode.OK).GetProperty("id").GetString()!;
        var vm10 = (await _http.PostRestAsync("/api/v1alpha1/event", Create(service, "\"vm10\""))).Expect(HttpStatusCode.OK).GetProperty("id").GetString()!;
        (await _http.PostRestAsync("/api/v1alpha1/event", Create(service, string.Empty))).Expect(HttpStatusCode.OK);

        Assert.Equal([vm1], await IdsAsync("filter", $"service=\"{service}\" AND arguments:\"vm1\""));
        Assert.Equal([vm1, vm10], await IdsAsync("filter", $"service=\"{service}\" AND attributes.arguments:*"));
        Assert.Equal([vm1], await IdsAsync("query", $$$"""{"service":"{{{service}}}","arguments":"vm2"}"""));
        Assert.Equal([vm1, vm10], await IdsAsync("query", $$$"""{"service":"{{{service}}}","arguments":{"$in":["vm1","vm10"]}}"""));
    }

    [Fact]
    public async Task CreateEvent_TooManyArguments_NamesTheList()
    {
        var values = string.Join(",", Enumerable.Range(0, 65).Select(i => $"\"vm{i}\""));

        var error = (await _http.PostRestAsync("/api/v1alpha1/event", Create(TestEvents.UniqueService(), values))).Expect(HttpStatusCode.BadRequest);

        Assert.Equal(["attributes.arguments"], error.GetProperty("details")[0].GetProperty("fieldViolations").EnumerateArray().Select(v => v.GetProperty("field").GetString()));
    }

    private static string Create(string service, string arguments) =>
        $$$"""{"title":"Run RPA","attributes":{"type":"TYPE_RPA_USAGE","service":"{{{service}}}","arguments":[{{{arguments}}}]}}""";

    private static string[] Arguments(JsonElement e) =>
        [.. e.GetProperty("attributes").GetProperty("arguments").EnumerateArray().Select(v => v.GetString()!)];

    private async Task<string[]> IdsAsync(string parameter, string value)
    {
        var listing = (await _http.GetRestAsync($"/api/v1alpha1/events/list?orderBy=created_at&{parameter}={Uri.EscapeDataString(value)}")).Expect(HttpStatusCode.OK);
        return listing.TryGetProperty("events", out var events) ? [.. events.EnumerateArray().Select(e => e.GetProperty("id").GetString()!)] : [];
    }
}
