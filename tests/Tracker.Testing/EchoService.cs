using Google.Rpc;
using Tracker.Grpc;

namespace Tracker.Testing.Echo;

/// <summary>The test-only EchoService; what it observes about cancellation goes to the probe.</summary>
public sealed class EchoServiceImpl(EchoProbe probe)
{
    public Task<EchoResponse> Echo(EchoRequest request, ServerCallContext context)
    {
        if (context.RequestHeaders["x-echo"].ToString() is { Length: > 0 } echo)
        {
            context.ResponseHeaders["x-echo-header"] = echo;
            context.ResponseTrailers["x-echo-trailer"] = echo;
        }

        return Task.FromResult(new EchoResponse { Text = request.Text });
    }

    public Task<EchoResponse> Fail(FailRequest request, ServerCallContext context)
    {
        if (request.Code == 0)
        {
            throw new InvalidOperationException("secret internal detail: connection string Password=hunter2");
        }

        var details = request.WithDetails
            ? new Google.Protobuf.IMessage[]
            {
                new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = "text", Description = "must not be empty" } } },
            }
            : null;
        throw new RpcException((Grpc.StatusCode)request.Code, request.Message, details);
    }

    public async Task<EchoResponse> Sleep(SleepRequest request, ServerCallContext context)
    {
        try
        {
            await Task.Delay(request.Milliseconds, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            probe.Cancelled(context.Method);
            throw;
        }

        return new EchoResponse { Text = "slept" };
    }

    public async Task Count(CountRequest request, IServerStreamWriter<EchoResponse> responses, ServerCallContext context)
    {
        for (var i = 0; i < request.Count; i++)
        {
            await responses.WriteAsync(new EchoResponse { Text = i.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            if (request.IntervalMilliseconds > 0)
            {
                await Task.Delay(request.IntervalMilliseconds, context.CancellationToken);
            }
        }

        if (request.FailCode != 0)
        {
            throw new RpcException((Grpc.StatusCode)request.FailCode, "failed after streaming");
        }
    }

    public async Task<SumResponse> Sum(IAsyncEnumerable<SumRequest> requests, ServerCallContext context)
    {
        var response = new SumResponse();
        await foreach (var request in requests.WithCancellation(context.CancellationToken))
        {
            response.Total += request.Value;
            response.Count++;
        }

        return response;
    }

    public async Task Chat(IAsyncEnumerable<EchoRequest> requests, IServerStreamWriter<EchoResponse> responses, ServerCallContext context)
    {
        await foreach (var request in requests.WithCancellation(context.CancellationToken))
        {
            await responses.WriteAsync(new EchoResponse { Text = "echo: " + request.Text });
        }
    }
}

/// <summary>Lets a test wait for the server side of a call to see its cancellation.</summary>
public sealed class EchoProbe
{
    private readonly TaskCompletionSource<string> _cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<string> CancelledCall => _cancelled.Task;

    public void Cancelled(string method) => _cancelled.TrySetResult(method);
}
