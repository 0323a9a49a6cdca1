using Google.Protobuf.Reflection;
using Grpc.Reflection.V1;

namespace Tracker.Grpc.Reflection;

/// <summary>
/// Answers server reflection questions, in the v1 message shapes; the v1alpha service converts
/// to and from them. The index is built on the first question, when every service is bound.
/// </summary>
internal sealed class ReflectionResponder
{
    private readonly Lazy<ReflectionIndex> _index;

    public ReflectionResponder(GrpcServiceRegistry registry)
    {
        _index = new Lazy<ReflectionIndex>(() => new ReflectionIndex(registry.Services), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>
    /// Answers each request of a reflection stream in order, until the client ends it.
    /// <paramref name="toV1"/> and <paramref name="fromV1"/> adapt another protocol version's messages.
    /// </summary>
    public async Task AnswerAllAsync<TRequest, TResponse>(
        IAsyncEnumerable<TRequest> requests,
        IServerStreamWriter<TResponse> responses,
        Func<TRequest, ServerReflectionRequest> toV1,
        Func<ServerReflectionResponse, TResponse> fromV1,
        CancellationToken cancellationToken)
    {
        await foreach (var request in requests.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var answer = Answer(toV1(request));
            await responses.WriteAsync(fromV1(answer), cancellationToken).ConfigureAwait(false);
        }
    }

    public ServerReflectionResponse Answer(ServerReflectionRequest request)
    {
        var response = new ServerReflectionResponse { ValidHost = request.Host, OriginalRequest = request };
        var index = _index.Value;
        switch (request.MessageRequestCase)
        {
            case ServerReflectionRequest.MessageRequestOneofCase.ListServices:
                response.ListServicesResponse = new ListServiceResponse();
                response.ListServicesResponse.Service.AddRange(index.ServiceNames.Select(n => new ServiceResponse { Name = n }));
                break;

            case ServerReflectionRequest.MessageRequestOneofCase.FileByFilename:
                SetFile(response, index, index.FindFile(request.FileByFilename),
                    $"File '{request.FileByFilename}' not found.");
                break;

            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingSymbol:
                SetFile(response, index, index.FindFileContainingSymbol(request.FileContainingSymbol),
                    $"Symbol '{request.FileContainingSymbol}' not found.");
                break;

            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingExtension:
                var extension = request.FileContainingExtension;
                SetFile(response, index, index.FindFileContainingExtension(extension.ContainingType, extension.ExtensionNumber),
                    $"Extension {extension.ExtensionNumber} of '{extension.ContainingType}' not found.");
                break;

            case ServerReflectionRequest.MessageRequestOneofCase.AllExtensionNumbersOfType:
                var type = request.AllExtensionNumbersOfType;
                if (index.FindExtensionNumbers(type) is { } numbers)
                {
                    response.AllExtensionNumbersResponse = new ExtensionNumberResponse { BaseTypeName = type };
                    response.AllExtensionNumbersResponse.ExtensionNumber.AddRange(numbers);
                }
                else
                {
                    SetError(response, StatusCode.NotFound, $"Message type '{type}' not found.");
                }

                break;

            default:
                SetError(response, StatusCode.InvalidArgument,
                    "message_request must be set to one of file_by_filename, file_containing_symbol, "
                    + "file_containing_extension, all_extension_numbers_of_type or list_services.");
                break;
        }

        return response;
    }

    private static void SetFile(ServerReflectionResponse response, ReflectionIndex index, FileDescriptor? file, string notFound)
    {
        if (file is null)
        {
            SetError(response, StatusCode.NotFound, notFound);
            return;
        }

        response.FileDescriptorResponse = new FileDescriptorResponse();
        response.FileDescriptorResponse.FileDescriptorProto.AddRange(index.WithDependencies(file).Select(f => f.SerializedData));
    }

    private static void SetError(ServerReflectionResponse response, StatusCode code, string message)
    {
        response.ErrorResponse = new ErrorResponse { ErrorCode = (int)code, ErrorMessage = message };
    }
}
