using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Tracker.Api.V1Alpha1;
using Tracker.Events.Tests.Support;
using Grpc.Core;
using Xunit;
using static Tracker.Events.Tests.Service.ServiceHarness;

namespace Tracker.Events.Tests.Service;

public sealed class GetDeleteEventTests
{
    [Theory]
    [InlineData("507f1f77bcf86cd799439011")]
    [InlineData("01890a5d-ac96-774b-bcce-b302099a8057")]
    public async Task GetEvent_UnknownId_NotFoundWithResourceInfo(string id)
    {
        using var h = await StartAsync();
        await h.CreateAsync();

        var e = await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => h.Service.GetEvent(new GetEventRequest { Id = id }, Context()));

        Assert.Contains(id, e.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(id, e.GetRpcStatus()?.GetDetail<ResourceInfo>()?.ResourceName);
    }

    [Fact]
    public async Task GetEvent_EmptyId_InvalidArgumentOnId()
    {
        using var h = await StartAsync();

        Assert.Equal(["id"], await RpcAssert.InvalidAsync(() => h.Service.GetEvent(new GetEventRequest(), Context())));
    }

    [Fact]
    public async Task GetEvent_IdOver128Chars_InvalidArgumentOnId()
    {
        using var h = await StartAsync();

        Assert.Equal(["id"], await RpcAssert.InvalidAsync(() => h.Service.GetEvent(new GetEventRequest { Id = new string('x', 129) }, Context())));
    }

    [Fact]
    public async Task DeleteEvent_Existing_DeletesItAndReturnsEmpty()
    {
        using var h = await StartAsync();
        var created = await h.CreateAsync();

        var result = await h.Service.DeleteEvent(new DeleteEventRequest { Id = created.Id }, Context()).Bounded();

        Assert.Equal(new Empty(), result);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => h.Service.GetEvent(new GetEventRequest { Id = created.Id }, Context()));
    }

    [Fact]
    public async Task DeleteEvent_UnknownId_NotFound()
    {
        using var h = await StartAsync();

        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => h.Service.DeleteEvent(new DeleteEventRequest { Id = "507f1f77bcf86cd799439011" }, Context()));
    }

    [Fact]
    public async Task DeleteEvent_UnknownIdWithAllowMissing_ReturnsEmpty()
    {
        using var h = await StartAsync();

        var result = await h.Service.DeleteEvent(new DeleteEventRequest { Id = "507f1f77bcf86cd799439011", AllowMissing = true }, Context()).Bounded();

        Assert.Equal(new Empty(), result);
    }

    [Fact]
    public async Task DeleteEvent_StaleEtag_AbortedAndEventKept()
    {
        using var h = await StartAsync();
        var created = await h.CreateAsync();

        await RpcAssert.ThrowsAsync(StatusCode.Aborted, () => h.Service.DeleteEvent(new DeleteEventRequest { Id = created.Id, Etag = "stale" }, Context()));

        Assert.Equal(created, await h.Service.GetEvent(new GetEventRequest { Id = created.Id }, Context()).Bounded());
    }

    [Fact]
    public async Task DeleteEvent_MatchingEtag_Deletes()
    {
        using var h = await StartAsync();
        var created = await h.CreateAsync();

        await h.Service.DeleteEvent(new DeleteEventRequest { Id = created.Id, Etag = created.Etag }, Context()).Bounded();

        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => h.Service.GetEvent(new GetEventRequest { Id = created.Id }, Context()));
    }

    [Fact]
    public async Task DeleteEvent_EtagOver128Chars_InvalidArgumentOnEtag()
    {
        using var h = await StartAsync();
        var created = await h.CreateAsync();

        Assert.Equal(["etag"], await RpcAssert.InvalidAsync(() => h.Service.DeleteEvent(new DeleteEventRequest { Id = created.Id, Etag = new string('e', 129) }, Context())));
    }

    [Fact]
    public async Task DeleteEvent_EmptyId_InvalidArgumentOnId()
    {
        using var h = await StartAsync();

        Assert.Equal(["id"], await RpcAssert.InvalidAsync(() => h.Service.DeleteEvent(new DeleteEventRequest { AllowMissing = true }, Context())));
    }
}
