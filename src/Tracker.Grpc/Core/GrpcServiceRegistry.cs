using System.Collections.Frozen;
using Google.Protobuf.Reflection;

namespace Tracker.Grpc;

/// <summary>
/// The one list of bound services and methods. gRPC routing, transcoding, reflection and health
/// all read it; services are added at start-up, before the first request, and never after.
/// </summary>
public sealed class GrpcServiceRegistry
{
    private readonly List<ServiceDescriptor> _services = [];
    private readonly Dictionary<string, GrpcMethod> _methods = new(StringComparer.Ordinal);
    private FrozenDictionary<string, GrpcMethod>? _frozen;

    public IReadOnlyList<ServiceDescriptor> Services => _services;

    public IEnumerable<GrpcMethod> Methods => _methods.Values;

    public void Add(ServiceDescriptor service, IEnumerable<GrpcMethod> methods)
    {
        if (_frozen is not null)
        {
            throw new InvalidOperationException("Services must be bound before the server starts.");
        }

        if (_services.Any(s => s.FullName == service.FullName))
        {
            throw new InvalidOperationException($"Service '{service.FullName}' is bound twice.");
        }

        _services.Add(service);
        foreach (var method in methods)
        {
            _methods.Add(method.Path, method);
        }
    }

    /// <summary>The method at an HTTP/2 path such as "/pkg.Service/Method", or null.</summary>
    public GrpcMethod? Find(string path)
    {
        _frozen ??= _methods.ToFrozenDictionary(StringComparer.Ordinal);
        return _frozen.GetValueOrDefault(path);
    }
}
