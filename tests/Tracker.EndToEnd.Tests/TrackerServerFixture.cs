using Tracker.Testing;

namespace Tracker.EndToEnd.Tests;

/// <summary>One real Tracker process on SQLite, shared by the tests of a class.</summary>
public sealed class TrackerServerFixture : IAsyncLifetime
{
    public TrackerProcess Server { get; private set; } = null!;

    public TrackerGrpcClient Grpc { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await TrackerProcess.StartAsync(TrackerSettings.Sqlite());
        Grpc = new TrackerGrpcClient(Server.GrpcAddress);
    }

    public async Task DisposeAsync()
    {
        Grpc.Dispose();
        await Server.DisposeAsync();
        Directory.Delete(Server.Settings.DataDirectory, recursive: true);
    }
}
