using Tracker.Testing;

namespace Tracker.Interop.Tests;

/// <summary>
/// One real Tracker server (the Tracker.Server build, as a child process on 127.0.0.1 and free
/// ports, with its own SQLite data) shared by the interop tests; a derived fixture starts it with
/// settings of its own (environment variables, e.g. Auth__Mode).
/// </summary>
public class TrackerServerFixture : IAsyncLifetime
{
    private readonly IReadOnlyDictionary<string, string> _environment;
    private TrackerProcess? _process;
    private TrackerSettings? _settings;

    public TrackerServerFixture()
        : this(new Dictionary<string, string>())
    {
    }

    protected TrackerServerFixture(IReadOnlyDictionary<string, string> environment) => _environment = environment;

    /// <summary>The gRPC endpoint as a URL, http://127.0.0.1:port.</summary>
    public Uri GrpcUrl => _process!.GrpcAddress;

    /// <summary>The REST endpoint, http://127.0.0.1:port.</summary>
    public Uri HttpUrl => _process!.HttpAddress;

    /// <summary>The gRPC endpoint as clients take it, 127.0.0.1:port.</summary>
    public string GrpcTarget => $"{GrpcUrl.Host}:{GrpcUrl.Port}";

    /// <summary>What the server logged, for assertion messages.</summary>
    public string ServerOutput => _process?.Output ?? "";

    public async Task InitializeAsync()
    {
        _settings = TrackerSettings.Sqlite();
        foreach (var (name, value) in _environment)
        {
            _settings.Environment[name] = value;
        }

        _process = await TrackerProcess.StartAsync(_settings);
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        if (_settings is not null)
        {
            Directory.Delete(_settings.DataDirectory, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class TrackerServerCollection : ICollectionFixture<TrackerServerFixture>
{
    public const string Name = "Tracker server";
}
