using Grpc.Health.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Tracker.Grpc.Health;

/// <summary>grpc.health.v1.Health, reporting what <see cref="GrpcHealthStatus"/> holds.</summary>
internal sealed class HealthService(GrpcHealthStatus status)
{
    public Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context)
    {
        var current = status.Get(request.Service)
            ?? throw new RpcException(StatusCode.NotFound, $"Service '{request.Service}' is unknown.");
        return Task.FromResult(new HealthCheckResponse { Status = current });
    }

    public Task<HealthListResponse> List(HealthListRequest request, ServerCallContext context)
    {
        var response = new HealthListResponse();
        foreach (var (service, current) in status.GetAll())
        {
            response.Statuses.Add(service, new HealthCheckResponse { Status = current });
        }

        return Task.FromResult(response);
    }

    /// <summary>
    /// Sends the current status at once, then each change, until the client cancels or the server
    /// stops. An unknown service is reported SERVICE_UNKNOWN and still watched: it may appear.
    /// </summary>
    public async Task Watch(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responses, ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        using var watch = status.Watch(request.Service);
        ServingStatus? sent = null;
        try
        {
            await foreach (var current in watch.Changes.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                // A change may be undone before it is read; only a status the client has not seen is news.
                if (current == sent)
                {
                    continue;
                }

                await responses.WriteAsync(new HealthCheckResponse { Status = current }, cancellationToken).ConfigureAwait(false);
                sent = current;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client stopped watching; that is how a watch normally ends.
        }
    }
}
