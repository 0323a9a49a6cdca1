using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Tracker.Grpc.Tests.Transcoding.Protos;

namespace Tracker.Grpc.Tests.Transcoding;

/// <summary>
/// The test service behind the transcoding tests: it echoes what was bound so tests can see
/// the binding, and fails on request with any status.
/// </summary>
public sealed class WidgetServiceImpl
{
    public static Google.Protobuf.Reflection.ServiceDescriptor Descriptor =>
        WidgetsReflection.Descriptor.Services.Single(s => s.Name == "WidgetService");

    public Task<Widget> GetWidget(GetWidgetRequest request, ServerCallContext context)
    {
        if (request.Id == "missing")
        {
            throw new RpcException(Grpc.StatusCode.NotFound, $"Widget '{request.Id}' was not found.");
        }

        var name = request.Shelf.Length > 0 ? $"widget {request.Id} on {request.Shelf}" : $"widget {request.Id}";
        return Task.FromResult(new Widget { Id = request.Id, Name = name, Color = request.View });
    }

    public Task<Widget> CreateWidget(CreateWidgetRequest request, ServerCallContext context)
    {
        if (request.Widget?.Name == "duplicate")
        {
            throw new RpcException(Grpc.StatusCode.AlreadyExists, "A widget with that name exists.");
        }

        var widget = request.Widget?.Clone() ?? new Widget();
        widget.Id = request.RequestId.Length > 0 ? "w-" + request.RequestId : "w-1";
        return Task.FromResult(widget);
    }

    public Task<Widget> UpdateWidget(UpdateWidgetRequest request, ServerCallContext context)
    {
        var widget = request.Widget?.Clone() ?? new Widget();
        widget.Labels["mask"] = request.UpdateMask is null ? "<unset>" : string.Join(",", request.UpdateMask.Paths);
        widget.Labels["etag"] = request.Etag;
        widget.Labels["method"] = context.HttpContext.Request.Method;
        return Task.FromResult(widget);
    }

    public Task<Empty> DeleteWidget(DeleteWidgetRequest request, ServerCallContext context)
    {
        if (request.Id == "locked")
        {
            throw new RpcException(Grpc.StatusCode.Aborted, "The widget changed; reload it.");
        }

        return Task.FromResult(new Empty());
    }

    // Answered encoded, so that the REST tests see an EncodedMessage turned into JSON.
    public Task<EncodedMessage<ListWidgetsResponse>> ListWidgets(ListWidgetsRequest request, ServerCallContext context) =>
        Task.FromResult(new EncodedMessage<ListWidgetsResponse>(
            new ListWidgetsResponse { Request = request, Widgets = { new Widget { Id = "a" }, new Widget { Id = "b" } } }.ToByteArray()));

    public Task<ListWidgetsResponse> SearchWidgets(ListWidgetsRequest request, ServerCallContext context) =>
        Task.FromResult(new ListWidgetsResponse { Request = request });

    public Task<Widget> GetWidgetName(GetWidgetRequest request, ServerCallContext context) =>
        Task.FromResult(new Widget { Id = request.Id, Name = $"name of {request.Id}" });

    public Task<Resource> GetResource(GetResourceRequest request, ServerCallContext context) =>
        Task.FromResult(new Resource { Name = request.Name });

    public Task<Widget> ArchiveWidget(GetWidgetRequest request, ServerCallContext context) =>
        Task.FromResult(new Widget { Id = request.Id, Name = "archived", Color = request.View });

    /// <summary>Completed by a test to let a held stream go on after its first message.</summary>
    public TaskCompletionSource StreamRelease { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task WatchWidgets(WatchWidgetsRequest request, IServerStreamWriter<Widget> responses, ServerCallContext context)
    {
        for (var i = 0; i < request.Count; i++)
        {
            await responses.WriteAsync(new Widget { Id = $"w{i}", Count = i }, context.CancellationToken);
            if (i == 0 && request.HoldAfterFirst)
            {
                await StreamRelease.Task.WaitAsync(TimeSpan.FromSeconds(30), context.CancellationToken);
            }
        }

        if (request.FailCode != 0)
        {
            throw new RpcException((Grpc.StatusCode)request.FailCode, "The stream failed.");
        }
    }

    public Task<Empty> Fail(FailRequest request, ServerCallContext context)
    {
        if (request.Code == (int)Grpc.StatusCode.Unknown)
        {
            throw new InvalidOperationException("secret internal detail");
        }

        IMessage[]? details = null;
        if (request.ViolationField.Length > 0)
        {
            details =
            [
                new BadRequest
                {
                    FieldViolations = { new BadRequest.Types.FieldViolation { Field = request.ViolationField, Description = "is wrong" } },
                },
            ];
        }

        throw new RpcException((Grpc.StatusCode)request.Code, request.Message, details);
    }

    public Task<Rich> Echo(Rich request, ServerCallContext context) => Task.FromResult(request);

    public Task<Rich> EchoQuery(Rich request, ServerCallContext context) => Task.FromResult(request);
}
