using Google.Rpc;
using Grpc.Core;
using Xunit;

namespace Tracker.Events.Tests.Support;

/// <summary>Assertions on the RpcExceptions the handlers end calls with.</summary>
public static class RpcAssert
{
    public static async Task<RpcException> ThrowsAsync(StatusCode code, Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => call().Bounded());
        Assert.Equal(code, e.StatusCode);
        return e;
    }

    /// <summary>Asserts INVALID_ARGUMENT and returns the field paths of its BadRequest detail.</summary>
    public static async Task<IReadOnlyList<string>> InvalidAsync(Func<Task> call)
    {
        var e = await ThrowsAsync(StatusCode.InvalidArgument, call);
        return Fields(e);
    }

    public static IReadOnlyList<string> Fields(RpcException e)
    {
        var badRequest = Assert.IsType<BadRequest>(e.GetRpcStatus()?.GetDetail<BadRequest>());
        Assert.All(badRequest.FieldViolations, v => Assert.False(string.IsNullOrEmpty(v.Description)));
        return badRequest.FieldViolations.Select(v => v.Field).ToArray();
    }
}
