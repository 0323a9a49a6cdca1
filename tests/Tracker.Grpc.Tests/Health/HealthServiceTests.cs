using Grpc.Health.V1;
using Tracker.Grpc.Health;
using Tracker.Grpc.Tests.Reflection;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Tracker.Grpc.Tests.Health;

public sealed class HealthServiceTests
{
    private const string Widget = "reflectiontest.v1.WidgetService";
    private const string HealthName = "grpc.health.v1.Health";

    private readonly GrpcServiceRegistry _registry = new ReflectionTestServer().Registry;
    private readonly GrpcHealthStatus _status;
    private readonly HealthService _service;

    public HealthServiceTests()
    {
        _status = new GrpcHealthStatus(_registry);
        _service = new HealthService(_status);
    }

    [Theory]
    [InlineData("")]
    [InlineData(Widget)]
    [InlineData(HealthName)]
    [InlineData("grpc.reflection.v1alpha.ServerReflection")]
    public async Task Check_ServerOrBoundService_IsServingByDefault(string service)
    {
        var response = await Check(service);

        Assert.Equal(ServingStatus.Serving, response.Status);
    }

    [Theory]
    [InlineData("reflectiontest.v1.Nope")]
    [InlineData("reflectiontest.v1.WidgetService.GetWidget")]
    [InlineData("REFLECTIONTEST.V1.WIDGETSERVICE")]
    public async Task Check_UnknownService_ThrowsNotFound(string service)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Check(service));

        Assert.Equal(StatusCode.NotFound, error.Code);
        Assert.Contains(service, error.Detail);
    }

    [Fact]
    public async Task Check_AfterSet_ReturnsTheNewStatusForThatServiceOnly()
    {
        _status.Set(Widget, ServingStatus.NotServing);

        Assert.Equal(ServingStatus.NotServing, (await Check(Widget)).Status);
        Assert.Equal(ServingStatus.Serving, (await Check("")).Status);
        Assert.Equal(ServingStatus.Serving, (await Check(HealthName)).Status);
    }

    [Fact]
    public async Task Check_ServiceSetByTheHost_BecomesKnown()
    {
        _status.Set("tracker.Database", ServingStatus.NotServing);

        Assert.Equal(ServingStatus.NotServing, (await Check("tracker.Database")).Status);
    }

    [Fact]
    public async Task SetAll_NotServing_AppliesToServerBoundAndHostSetServices()
    {
        _status.Set("tracker.Database", ServingStatus.Serving);

        _status.SetAll(ServingStatus.NotServing);

        var all = (await List()).Statuses;
        Assert.Equal(6, all.Count);
        Assert.All(all.Values, s => Assert.Equal(ServingStatus.NotServing, s.Status));
    }

    [Fact]
    public async Task SetAll_AfterOneServiceWasSet_OverridesIt()
    {
        _status.Set(Widget, ServingStatus.NotServing);

        _status.SetAll(ServingStatus.Serving);

        Assert.Equal(ServingStatus.Serving, (await Check(Widget)).Status);
    }

    [Fact]
    public void Set_ServiceUnknownStatus_IsRejectedNamingTheRule()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _status.Set(Widget, ServingStatus.ServiceUnknown));

        Assert.Equal("status", error.ParamName);
        Assert.Contains("SERVICE_UNKNOWN", error.Message);
    }

    [Fact]
    public async Task List_Default_HasTheServerAndEveryBoundServiceServing()
    {
        var response = await List();

        Assert.Equal(
            new[] { "", Widget, HealthName, "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection" }.Order(),
            response.Statuses.Keys.Order());
        Assert.All(response.Statuses.Values, s => Assert.Equal(ServingStatus.Serving, s.Status));
    }

    [Fact]
    public async Task List_AfterSets_ReportsEachServicesOwnStatus()
    {
        _status.Set("", ServingStatus.NotServing);
        _status.Set("tracker.Database", ServingStatus.Unknown);

        var statuses = (await List()).Statuses;

        Assert.Equal(ServingStatus.NotServing, statuses[""].Status);
        Assert.Equal(ServingStatus.Unknown, statuses["tracker.Database"].Status);
        Assert.Equal(ServingStatus.Serving, statuses[Widget].Status);
    }

    [Fact]
    public async Task Watch_KnownService_SendsCurrentStatusThenEachChange()
    {
        using var cancellation = new CancellationTokenSource();
        var responses = new CollectingStreamWriter<HealthCheckResponse>();
        var call = Watch(Widget, responses, cancellation.Token);

        Assert.Equal(ServingStatus.Serving, (await responses.NextAsync()).Status);
        _status.Set(Widget, ServingStatus.NotServing);
        Assert.Equal(ServingStatus.NotServing, (await responses.NextAsync()).Status);
        _status.SetAll(ServingStatus.Serving);
        Assert.Equal(ServingStatus.Serving, (await responses.NextAsync()).Status);

        cancellation.Cancel();
        await call.WaitAsync(Calls.Timeout);
        Assert.Equal(3, responses.All.Count);
    }

    [Fact]
    public async Task Watch_StatusSetAgainUnchanged_IsNotSentTwice()
    {
        using var cancellation = new CancellationTokenSource();
        var responses = new CollectingStreamWriter<HealthCheckResponse>();
        var call = Watch("", responses, cancellation.Token);
        Assert.Equal(ServingStatus.Serving, (await responses.NextAsync()).Status);
        _status.Set("", ServingStatus.NotServing);
        Assert.Equal(ServingStatus.NotServing, (await responses.NextAsync()).Status);

        _status.Set("", ServingStatus.NotServing);
        _status.Set("", ServingStatus.Serving);

        Assert.Equal(ServingStatus.Serving, (await responses.NextAsync()).Status);
        cancellation.Cancel();
        await call.WaitAsync(Calls.Timeout);
        Assert.Equal(
            [ServingStatus.Serving, ServingStatus.NotServing, ServingStatus.Serving],
            responses.All.Select(r => r.Status));
    }

    [Fact]
    public async Task Watch_OtherServiceChanges_SendsNothingForThem()
    {
        using var cancellation = new CancellationTokenSource();
        var responses = new CollectingStreamWriter<HealthCheckResponse>();
        var call = Watch(Widget, responses, cancellation.Token);
        await responses.NextAsync();

        _status.Set("", ServingStatus.NotServing);
        _status.Set(HealthName, ServingStatus.NotServing);
        _status.Set(Widget, ServingStatus.Unknown);

        // The next message is the watched service's change; the others were not sent before it.
        Assert.Equal(ServingStatus.Unknown, (await responses.NextAsync()).Status);
        cancellation.Cancel();
        await call.WaitAsync(Calls.Timeout);
        Assert.Equal(2, responses.All.Count);
    }

    [Fact]
    public async Task Watch_UnknownService_SendsServiceUnknownAndKeepsWatching()
    {
        using var cancellation = new CancellationTokenSource();
        var responses = new CollectingStreamWriter<HealthCheckResponse>();
        var call = Watch("tracker.Later", responses, cancellation.Token);

        Assert.Equal(ServingStatus.ServiceUnknown, (await responses.NextAsync()).Status);
        _status.Set("tracker.Later", ServingStatus.Serving);
        Assert.Equal(ServingStatus.Serving, (await responses.NextAsync()).Status);

        cancellation.Cancel();
        await call.WaitAsync(Calls.Timeout);
    }

    [Fact]
    public async Task Watch_Cancelled_EndsWithoutError()
    {
        using var cancellation = new CancellationTokenSource();
        var responses = new CollectingStreamWriter<HealthCheckResponse>();
        var call = Watch("", responses, cancellation.Token);
        await responses.NextAsync();

        cancellation.Cancel();

        await call.WaitAsync(Calls.Timeout);
        Assert.True(call.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Watch_Cancelled_StopsBeingNotified()
    {
        using var cancellation = new CancellationTokenSource();
        var responses = new CollectingStreamWriter<HealthCheckResponse>();
        var call = Watch("", responses, cancellation.Token);
        await responses.NextAsync();
        Assert.Equal(1, _status.WatchCount);

        cancellation.Cancel();
        await call.WaitAsync(Calls.Timeout);

        Assert.Equal(0, _status.WatchCount);
    }

    [Fact]
    public async Task Watch_ServerShutsDown_SendsNotServingAndEnds()
    {
        var responses = new CollectingStreamWriter<HealthCheckResponse>();
        var call = Watch(Widget, responses, CancellationToken.None);
        await responses.NextAsync();

        _status.Shutdown();

        await call.WaitAsync(Calls.Timeout);
        Assert.Equal([ServingStatus.Serving, ServingStatus.NotServing], responses.All.Select(r => r.Status));
    }

    [Fact]
    public async Task Watch_StartedAfterShutdown_SendsNotServingAndEnds()
    {
        _status.Shutdown();
        var responses = new CollectingStreamWriter<HealthCheckResponse>();

        await Watch("", responses, CancellationToken.None).WaitAsync(Calls.Timeout);

        Assert.Equal(ServingStatus.NotServing, Assert.Single(responses.All).Status);
    }

    [Fact]
    public async Task Set_AfterShutdown_IsIgnored()
    {
        _status.Shutdown();

        _status.Set("", ServingStatus.Serving);
        _status.SetAll(ServingStatus.Serving);

        Assert.Equal(ServingStatus.NotServing, (await Check("")).Status);
    }

    [Fact]
    public async Task Watch_ManyWatchersOfOneService_EachGetsTheChange()
    {
        using var cancellation = new CancellationTokenSource();
        var watchers = Enumerable.Range(0, 5).Select(_ => new CollectingStreamWriter<HealthCheckResponse>()).ToArray();
        var calls = watchers.Select(w => Watch(Widget, w, cancellation.Token)).ToArray();
        foreach (var watcher in watchers)
        {
            await watcher.NextAsync();
        }

        _status.Set(Widget, ServingStatus.NotServing);

        foreach (var watcher in watchers)
        {
            Assert.Equal(ServingStatus.NotServing, (await watcher.NextAsync()).Status);
        }

        cancellation.Cancel();
        await Task.WhenAll(calls).WaitAsync(Calls.Timeout);
    }

    private Task<HealthCheckResponse> Check(string service) =>
        _service.Check(new HealthCheckRequest { Service = service }, Calls.Context("/grpc.health.v1.Health/Check"));

    private Task<HealthListResponse> List() =>
        _service.List(new HealthListRequest(), Calls.Context("/grpc.health.v1.Health/List"));

    private Task Watch(string service, CollectingStreamWriter<HealthCheckResponse> responses, CancellationToken cancellationToken) =>
        _service.Watch(new HealthCheckRequest { Service = service }, responses, Calls.Context("/grpc.health.v1.Health/Watch", cancellationToken));
}
