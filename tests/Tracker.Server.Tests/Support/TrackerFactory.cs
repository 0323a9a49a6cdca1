using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;
using Grpc.Net.Client.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Events.Sqlite;
using Tracker.Events.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tracker.Api.V1Alpha1;

namespace Tracker.Server.Tests.Support;

/// <summary>
/// The whole Tracker host (Program.cs) on TestServer, in the Production environment, with its
/// own SQLite file in a temporary directory that is deleted on dispose, and every log entry kept
/// in <see cref="Logs"/>. Clients go through <c>Server.CreateHandler()</c>: no sockets.
/// </summary>
public sealed class TrackerFactory : WebApplicationFactory<Program>
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tracker-server-tests", Guid.NewGuid().ToString("N"));

    public TrackerFactory()
    {
        Directory.CreateDirectory(_directory);
    }

    /// <summary>When set before the host starts, its event store sits behind this gate.</summary>
    public StoreGate? Gate { get; init; }

    /// <summary>Configuration the host starts with, on top of the test's SQLite file (e.g. "Auth:Mode").</summary>
    public IDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Services the test adds or replaces after Program's (ConfigureTestServices).</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    /// <summary>The SQLite file this host keeps its events in.</summary>
    public string DatabasePath => Path.Combine(_directory, "tracker.db");

    public CapturedLogs Logs { get; } = new();

    /// <summary>A gRPC channel over the in-memory handler, with no message size limit of its own, and the service config given (retry policies).</summary>
    public GrpcChannel CreateGrpcChannel(HttpMessageHandler? handler = null, ServiceConfig? serviceConfig = null) =>
        GrpcChannel.ForAddress(Server.BaseAddress, new GrpcChannelOptions
        {
            HttpHandler = handler ?? Server.CreateHandler(),
            MaxReceiveMessageSize = null,
            MaxSendMessageSize = null,
            ServiceConfig = serviceConfig,
        });

    public EventService.EventServiceClient CreateGrpcClient() => new(CreateGrpcChannel());

    /// <summary>A gRPC-Web client (binary or base64 text), as a browser would call.</summary>
    public EventService.EventServiceClient CreateGrpcWebClient(GrpcWebMode mode) =>
        new(CreateGrpcChannel(new GrpcWebHandler(mode, Server.CreateHandler())));

    public ChannelService.ChannelServiceClient CreateChannelClient() => new(CreateGrpcChannel());

    /// <summary>A ChannelService client over gRPC-Web (binary or base64 text), as a browser would call.</summary>
    public ChannelService.ChannelServiceClient CreateChannelWebClient(GrpcWebMode mode) =>
        new(CreateGrpcChannel(new GrpcWebHandler(mode, Server.CreateHandler())));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Host settings reach Program's builder.Configuration before the store reads it.
        builder.UseSetting("ConnectionStrings:Sqlite", $"Data Source={DatabasePath}");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.UseEnvironment(Environments.Production);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        if (Gate is { } gate)
        {
            builder.ConfigureTestServices(services =>
                services.AddSingleton(provider => gate.Wrap(provider.GetRequiredService<SqliteEventStore>())));
        }

        if (TestServices is { } configure)
        {
            builder.ConfigureTestServices(configure);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        DeleteDirectory();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync().ConfigureAwait(false);
        DeleteDirectory();
    }

    private void DeleteDirectory()
    {
        // Pooled connections keep the file (and its -wal and -shm) open.
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
