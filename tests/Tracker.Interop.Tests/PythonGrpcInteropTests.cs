namespace Tracker.Interop.Tests;

/// <summary>Python grpc from Debian (python3-grpcio) against the real server: tests/interop/python_client.py.</summary>
[Collection(TrackerServerCollection.Name)]
public sealed class PythonGrpcInteropTests(TrackerServerFixture server) : GrpcClientInteropTests(server)
{
    private const string Python = "/usr/bin/python3";

    private protected override async Task<ClientRun> RunClientAsync()
    {
        // The script builds its message classes from this set, so Python's protobuf runtime encodes
        // and decodes every message from the same schema as the server.
        var descriptorSet = await InteropDescriptorSet.WriteTempFileAsync();
        try
        {
            return await ClientProcess.RunAsync(Python, [Path.Combine(RepoPaths.Interop, "python_client.py"), Server.GrpcTarget, descriptorSet]);
        }
        finally
        {
            File.Delete(descriptorSet);
        }
    }
}
