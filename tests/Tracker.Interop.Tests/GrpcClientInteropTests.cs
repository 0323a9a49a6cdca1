using System.Collections.Concurrent;
using System.Text.Json;

namespace Tracker.Interop.Tests;

/// <summary>
/// What every third-party gRPC client must see from the real server. Each client is a script
/// in tests/interop that makes the same calls and prints one JSON line per call (call, code,
/// details, messages, status_details); it runs once per test class and each test checks one call.
/// </summary>
public abstract class GrpcClientInteropTests
{
    private static readonly ConcurrentDictionary<Type, Task<ClientResults>> Runs = new();
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(150);

    protected GrpcClientInteropTests(TrackerServerFixture server)
    {
        Server = server;
    }

    protected TrackerServerFixture Server { get; }

    /// <summary>Runs the client script against <see cref="Server"/>.</summary>
    private protected abstract Task<ClientRun> RunClientAsync();

    [Fact]
    public async Task Client_AllCalls_RunToCompletion()
    {
        var results = await ResultsAsync();

        Assert.Equal(
            ["health_check", "health_check_unknown_service", "create_event", "get_created_event", "create_invalid_event",
             "get_missing_event", "unknown_method", "unknown_service", "watch_events", "watch_past_deadline", "reflection_stream"],
            results.Calls.Keys);
    }

    [Fact]
    public async Task HealthCheck_Server_IsOkAndServing()
    {
        var call = (await ResultsAsync()).Call("health_check");

        Assert.Equal("OK", Code(call));
        Assert.Equal("SERVING", Messages(call).Single().GetProperty("status").GetString());
    }

    [Fact]
    public async Task HealthCheck_UnknownService_IsNotFound()
    {
        var call = (await ResultsAsync()).Call("health_check_unknown_service");

        Assert.Equal("NOT_FOUND", Code(call));
    }

    [Fact]
    public async Task CreateEvent_ThenGetEvent_ReturnsTheCreatedEvent()
    {
        var results = await ResultsAsync();
        var created = results.Call("create_event");
        var fetched = results.Call("get_created_event");

        Assert.Equal("OK", Code(created));
        Assert.Equal("OK", Code(fetched));
        var createdEvent = Messages(created).Single();
        var fetchedEvent = Messages(fetched).Single();
        Assert.False(string.IsNullOrEmpty(createdEvent.GetProperty("id").GetString()));
        Assert.Equal(createdEvent.GetProperty("id").GetString(), fetchedEvent.GetProperty("id").GetString());
        Assert.Equal(createdEvent.GetProperty("title").GetString(), fetchedEvent.GetProperty("title").GetString());
        Assert.Equal("TYPE_DEPLOYMENT", fetchedEvent.GetProperty("attributes").GetProperty("type").GetString());
    }

    [Fact]
    public async Task WatchEvents_AfterTheFirstEvent_StreamsTheNextOneUntilTheDeadline()
    {
        var results = await ResultsAsync();
        var call = results.Call("watch_events");
        var firstId = Messages(results.Call("create_event")).Single().GetProperty("id").GetString();

        Assert.Equal("DEADLINE_EXCEEDED", Code(call));
        var change = Assert.Single(Messages(call));
        Assert.Equal("CHANGE_TYPE_CREATED", change.GetProperty("change_type").GetString());
        var watched = change.GetProperty("event");
        Assert.NotEqual(firstId, watched.GetProperty("id").GetString());
        Assert.StartsWith("watched by the", watched.GetProperty("title").GetString());
        Assert.True(long.Parse(change.GetProperty("change_id").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public async Task CreateEvent_Invalid_IsInvalidArgumentWithFieldViolations()
    {
        var call = (await ResultsAsync()).Call("create_invalid_event");

        Assert.Equal("INVALID_ARGUMENT", Code(call));
        var detail = Assert.Single(StatusDetails(call));
        Assert.Equal("google.rpc.BadRequest", detail.GetProperty("@type").GetString());
        var fields = detail.GetProperty("field_violations").EnumerateArray().Select(v => v.GetProperty("field").GetString());
        Assert.Contains("title", fields);
    }

    [Fact]
    public async Task GetEvent_Missing_IsNotFoundWithResourceInfo()
    {
        var call = (await ResultsAsync()).Call("get_missing_event");

        Assert.Equal("NOT_FOUND", Code(call));
        var detail = Assert.Single(StatusDetails(call));
        Assert.Equal("google.rpc.ResourceInfo", detail.GetProperty("@type").GetString());
        Assert.Equal("01900000-0000-7000-8000-000000000000", detail.GetProperty("resource_name").GetString());
    }

    [Theory]
    [InlineData("unknown_method")]
    [InlineData("unknown_service")]
    public async Task UnknownMethod_AnyClient_IsUnimplemented(string name)
    {
        var call = (await ResultsAsync()).Call(name);

        Assert.Equal("UNIMPLEMENTED", Code(call));
    }

    [Fact]
    public async Task Watch_PastItsDeadline_StreamsCurrentStatusThenDeadlineExceeded()
    {
        var call = (await ResultsAsync()).Call("watch_past_deadline");

        Assert.Equal("DEADLINE_EXCEEDED", Code(call));
        Assert.Equal("SERVING", Messages(call).Single().GetProperty("status").GetString());
    }

    [Fact]
    public async Task ServerReflectionInfo_BidirectionalStream_AnswersEachQuestionInOrder()
    {
        var call = (await ResultsAsync()).Call("reflection_stream");

        Assert.Equal("OK", Code(call));
        var answers = Messages(call);
        Assert.Equal(
            ["list_services_response", "file_descriptor_response", "error_response"],
            answers.Select(a => a.GetProperty("kind").GetString()));
        Assert.Equal(
            ["grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection", "tracker.event.v1alpha1.ChannelService", "tracker.event.v1alpha1.EventService"],
            answers[0].GetProperty("gist").EnumerateArray().Select(s => s.GetString()).Order(StringComparer.Ordinal));
        var files = answers[1].GetProperty("gist").EnumerateArray().Select(f => f.GetString()).ToArray();
        Assert.Equal("tracker/event/v1alpha1/event_service.proto", files[0]);
        Assert.Contains("tracker/event/v1alpha1/event.proto", files);
        Assert.Contains("google/api/annotations.proto", files);
        Assert.Equal(files.Length, files.Distinct().Count());
        Assert.Equal(5, answers[2].GetProperty("gist").GetProperty("error_code").GetInt32());
    }

    private static string? Code(JsonElement call) => call.GetProperty("code").GetString();

    private static JsonElement[] Messages(JsonElement call) => [.. call.GetProperty("messages").EnumerateArray()];

    private static JsonElement[] StatusDetails(JsonElement call) => [.. call.GetProperty("status_details").EnumerateArray()];

    private Task<ClientResults> ResultsAsync() =>
        Runs.GetOrAdd(GetType(), _ => RunAndParseAsync()).WaitAsync(Limit);

    private async Task<ClientResults> RunAndParseAsync()
    {
        var run = await RunClientAsync();
        Assert.True(run.ExitCode == 0, $"The client failed: {run}{Environment.NewLine}server:{Environment.NewLine}{Server.ServerOutput}");
        var calls = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .ToDictionary(call => call.GetProperty("call").GetString()!, call => call);
        return new ClientResults(calls, run);
    }

    private sealed record ClientResults(Dictionary<string, JsonElement> Calls, ClientRun Run)
    {
        public JsonElement Call(string name) =>
            Calls.TryGetValue(name, out var call) ? call : throw new Xunit.Sdk.XunitException($"The client reported no call '{name}': {Run}");
    }
}
