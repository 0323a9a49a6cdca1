using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Microsoft.Extensions.DependencyInjection;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace Tracker.Grpc;

/// <summary>
/// Binds the methods of a proto service, read from its generated descriptor, to the public
/// methods of the same name on an implementation class, once, at start-up. The expected
/// signatures (TReq/TResp are the generated message classes):
/// <code>
/// Unary:            Task&lt;TResp&gt; M(TReq request, ServerCallContext context)
/// Server streaming: Task M(TReq request, IServerStreamWriter&lt;TResp&gt; responses, ServerCallContext context)
/// Client streaming: Task&lt;TResp&gt; M(IAsyncEnumerable&lt;TReq&gt; requests, ServerCallContext context)
/// Bidirectional:    Task M(IAsyncEnumerable&lt;TReq&gt; requests, IServerStreamWriter&lt;TResp&gt; responses, ServerCallContext context)
/// </code>
/// A unary method may also return Task&lt;EncodedMessage&lt;TResp&gt;&gt;, a response already encoded.
/// A method the class lacks answers UNIMPLEMENTED; one with another signature fails start-up.
/// The implementation is resolved from the call's services, so its lifetime is the container's.
/// </summary>
public static class ServiceBinder
{
    public static IReadOnlyList<GrpcMethod> Bind<TService>(ServiceDescriptor service)
        where TService : class
    {
        return service.Methods.Select(Bind<TService>).ToArray();
    }

    private static GrpcMethod Bind<TService>(MethodDescriptor method)
        where TService : class
    {
        var kind = (method.IsClientStreaming, method.IsServerStreaming) switch
        {
            (false, false) => MethodKind.Unary,
            (false, true) => MethodKind.ServerStreaming,
            (true, false) => MethodKind.ClientStreaming,
            (true, true) => MethodKind.DuplexStreaming,
        };
        var requestType = method.InputType.ClrType;
        var responseType = method.OutputType.ClrType;
        var target = typeof(TService).GetMethod(method.Name, BindingFlags.Public | BindingFlags.Instance);
        if (target is null)
        {
            return Unimplemented(method, kind);
        }

        var adapterName = kind == MethodKind.Unary && ReturnsEncoded(target, responseType) ? "AdaptEncodedUnary" : "Adapt" + kind;
        var adapter = typeof(ServiceBinder)
            .GetMethod(adapterName, BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(typeof(TService), requestType, responseType);
        try
        {
            return (GrpcMethod)adapter.Invoke(null, [method, target])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is ArgumentException)
        {
            throw new InvalidOperationException(
                $"{typeof(TService).Name}.{method.Name} does not have the signature of the {kind} method {method.FullName}.",
                e.InnerException);
        }
    }

    private static bool ReturnsEncoded(MethodInfo target, Type responseType) =>
        target.ReturnType == typeof(Task<>).MakeGenericType(typeof(EncodedMessage<>).MakeGenericType(responseType));

    private static GrpcMethod AdaptUnary<TService, TRequest, TResponse>(MethodDescriptor method, MethodInfo target)
        where TService : class where TRequest : IMessage where TResponse : class, IMessage
    {
        var call = target.CreateDelegate<Func<TService, TRequest, ServerCallContext, Task<TResponse>>>();
        return new GrpcMethod
        {
            Descriptor = method,
            Kind = MethodKind.Unary,
            Unary = async (services, request, context) =>
                await call(services.GetRequiredService<TService>(), (TRequest)request, context).ConfigureAwait(false),
        };
    }

    private static GrpcMethod AdaptEncodedUnary<TService, TRequest, TResponse>(MethodDescriptor method, MethodInfo target)
        where TService : class where TRequest : IMessage where TResponse : IMessage<TResponse>, new()
    {
        var call = target.CreateDelegate<Func<TService, TRequest, ServerCallContext, Task<EncodedMessage<TResponse>>>>();
        return new GrpcMethod
        {
            Descriptor = method,
            Kind = MethodKind.Unary,
            Unary = async (services, request, context) =>
                await call(services.GetRequiredService<TService>(), (TRequest)request, context).ConfigureAwait(false),
        };
    }

    private static GrpcMethod AdaptServerStreaming<TService, TRequest, TResponse>(MethodDescriptor method, MethodInfo target)
        where TService : class where TRequest : IMessage where TResponse : class, IMessage
    {
        var call = target.CreateDelegate<Func<TService, TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task>>();
        return new GrpcMethod
        {
            Descriptor = method,
            Kind = MethodKind.ServerStreaming,
            ServerStreaming = (services, request, responses, context) =>
                call(services.GetRequiredService<TService>(), (TRequest)request, responses, context),
        };
    }

    private static GrpcMethod AdaptClientStreaming<TService, TRequest, TResponse>(MethodDescriptor method, MethodInfo target)
        where TService : class where TRequest : IMessage where TResponse : class, IMessage
    {
        var call = target.CreateDelegate<Func<TService, IAsyncEnumerable<TRequest>, ServerCallContext, Task<TResponse>>>();
        return new GrpcMethod
        {
            Descriptor = method,
            Kind = MethodKind.ClientStreaming,
            ClientStreaming = async (services, requests, context) =>
                await call(services.GetRequiredService<TService>(), requests.CastMessages<TRequest>(), context).ConfigureAwait(false),
        };
    }

    private static GrpcMethod AdaptDuplexStreaming<TService, TRequest, TResponse>(MethodDescriptor method, MethodInfo target)
        where TService : class where TRequest : IMessage where TResponse : class, IMessage
    {
        var call = target.CreateDelegate<Func<TService, IAsyncEnumerable<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task>>();
        return new GrpcMethod
        {
            Descriptor = method,
            Kind = MethodKind.DuplexStreaming,
            DuplexStreaming = (services, requests, responses, context) =>
                call(services.GetRequiredService<TService>(), requests.CastMessages<TRequest>(), responses, context),
        };
    }

    private static GrpcMethod Unimplemented(MethodDescriptor method, MethodKind kind)
    {
        var error = new RpcException(StatusCode.Unimplemented, $"Method {method.Name} is unimplemented.");
        return new GrpcMethod
        {
            Descriptor = method,
            Kind = kind,
            Unary = kind == MethodKind.Unary ? (_, _, _) => Task.FromException<IMessage>(error) : null,
            ServerStreaming = kind == MethodKind.ServerStreaming ? (_, _, _, _) => Task.FromException(error) : null,
            ClientStreaming = kind == MethodKind.ClientStreaming ? (_, _, _) => Task.FromException<IMessage>(error) : null,
            DuplexStreaming = kind == MethodKind.DuplexStreaming ? (_, _, _, _) => Task.FromException(error) : null,
        };
    }
}
