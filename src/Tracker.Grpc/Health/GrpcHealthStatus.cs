using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Tracker.Grpc.Health;

/// <summary>
/// The serving status the health service reports, one per service name ("" for the server as a
/// whole), which the host drives (e.g. NOT_SERVING while the database is unreachable). "" and
/// every bound service start SERVING; other names become known once they are set. Watchers are
/// told of each change as it happens.
/// </summary>
public sealed class GrpcHealthStatus
{
    private readonly GrpcServiceRegistry _registry;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ServingStatus> _set = new(StringComparer.Ordinal);
    private readonly List<HealthWatch> _watches = [];
    private ServingStatus _all = ServingStatus.Serving;
    private bool _shutDown;

    public GrpcHealthStatus(GrpcServiceRegistry registry)
    {
        _registry = registry;
    }

    /// <summary>Sets one service's status ("" is the server as a whole) and tells its watchers.</summary>
    public void Set(string service, ServingStatus status)
    {
        ArgumentNullException.ThrowIfNull(service);
        CheckSettable(status);
        lock (_lock)
        {
            if (_shutDown)
            {
                return;
            }

            _set[service] = status;
            Notify(service);
        }
    }

    /// <summary>Sets the status of "", every bound service and every service set so far.</summary>
    public void SetAll(ServingStatus status)
    {
        CheckSettable(status);
        lock (_lock)
        {
            if (!_shutDown)
            {
                SetAllLocked(status);
            }
        }
    }

    /// <summary>
    /// Reports NOT_SERVING for everything, ends every watch, and ignores later changes: the
    /// server is stopping, so no stream should hold it open.
    /// </summary>
    public void Shutdown()
    {
        lock (_lock)
        {
            SetAllLocked(ServingStatus.NotServing);
            _shutDown = true;
            foreach (var watch in _watches)
            {
                watch.Complete();
            }
        }
    }

    /// <summary>A service's status, or null when the service is unknown.</summary>
    public ServingStatus? Get(string service)
    {
        ArgumentNullException.ThrowIfNull(service);
        lock (_lock)
        {
            return StatusOf(service);
        }
    }

    /// <summary>The status of every known service.</summary>
    public IReadOnlyDictionary<string, ServingStatus> GetAll()
    {
        lock (_lock)
        {
            return KnownServices().ToDictionary(s => s, s => StatusOf(s)!.Value, StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// Starts watching a service: the watch holds its current status at once (SERVICE_UNKNOWN
    /// for an unknown one), then a status after each change. Dispose it to stop.
    /// </summary>
    internal HealthWatch Watch(string service)
    {
        ArgumentNullException.ThrowIfNull(service);
        lock (_lock)
        {
            var watch = new HealthWatch(this, service);
            watch.Offer(StatusOf(service) ?? ServingStatus.ServiceUnknown);
            if (_shutDown)
            {
                watch.Complete();
            }
            else
            {
                _watches.Add(watch);
            }

            return watch;
        }
    }

    /// <summary>How many watches are open.</summary>
    internal int WatchCount
    {
        get
        {
            lock (_lock)
            {
                return _watches.Count;
            }
        }
    }

    internal void Unwatch(HealthWatch watch)
    {
        lock (_lock)
        {
            _watches.Remove(watch);
        }
    }

    private void SetAllLocked(ServingStatus status)
    {
        _all = status;
        foreach (var service in _set.Keys)
        {
            _set[service] = status;
        }

        foreach (var watch in _watches)
        {
            watch.Offer(StatusOf(watch.Service) ?? ServingStatus.ServiceUnknown);
        }
    }

    private void Notify(string service)
    {
        foreach (var watch in _watches.Where(w => w.Service == service))
        {
            watch.Offer(StatusOf(service) ?? ServingStatus.ServiceUnknown);
        }
    }

    private ServingStatus? StatusOf(string service)
    {
        if (_set.TryGetValue(service, out var status))
        {
            return status;
        }

        return service.Length == 0 || IsBound(service) ? _all : null;
    }

    private bool IsBound(string service) => _registry.Services.Any(s => s.FullName == service);

    private IEnumerable<string> KnownServices() =>
        new[] { "" }.Concat(_registry.Services.Select(s => s.FullName)).Concat(_set.Keys).Distinct(StringComparer.Ordinal);

    private static void CheckSettable(ServingStatus status)
    {
        if (status is not (ServingStatus.Serving or ServingStatus.NotServing or ServingStatus.Unknown))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status,
                "status must be UNKNOWN, SERVING or NOT_SERVING; SERVICE_UNKNOWN is only reported by Watch.");
        }
    }
}
