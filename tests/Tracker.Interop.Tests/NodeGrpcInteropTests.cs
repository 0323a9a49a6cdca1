namespace Tracker.Interop.Tests;

/// <summary>
/// @grpc/grpc-js with @grpc/proto-loader (pinned in tests/interop/package.json) against the real
/// server, loading the server's schema as a descriptor set: tests/interop/node_client.js.
/// </summary>
[Collection(TrackerServerCollection.Name)]
public sealed class NodeGrpcInteropTests(TrackerServerFixture server) : GrpcClientInteropTests(server)
{
    private protected override async Task<ClientRun> RunClientAsync()
    {
        var modules = Path.Combine(RepoPaths.Interop, "node_modules", "@grpc");
        if (!Directory.Exists(Path.Combine(modules, "grpc-js")) || !Directory.Exists(Path.Combine(modules, "proto-loader")))
        {
            throw new InvalidOperationException($"@grpc/grpc-js or @grpc/proto-loader is not installed in {RepoPaths.Interop}; run build/setup.sh.");
        }

        var descriptorSet = await InteropDescriptorSet.WriteTempFileAsync();
        try
        {
            return await ClientProcess.RunAsync("node", [Path.Combine(RepoPaths.Interop, "node_client.js"), Server.GrpcTarget, descriptorSet]);
        }
        finally
        {
            File.Delete(descriptorSet);
        }
    }
}
