using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Tracker.Interop.Tests;

/// <summary>Python grpc from Debian (python3-grpcio) against the real server: tests/interop/python_client.py.</summary>
[Collection(TrackerServerCollection.Name)]
public sealed class PythonGrpcInteropTests(TrackerServerFixture server) : GrpcClientInteropTests(server)
{
    private const string Python = "/usr/bin/python3";

    private protected override async Task<ClientRun> RunClientAsync()
    {
        // The script builds its message classes from this set, so Python's protobuf runtime encodes
        // and decodes every message from the same schema as protos/.
        var descriptorSet = Path.Combine(Path.GetTempPath(), $"tracker-interop-{Guid.NewGuid():N}.pb");
        await File.WriteAllBytesAsync(descriptorSet, DescriptorSet(
            global::Grpc.Health.V1.HealthReflection.Descriptor,
            global::Grpc.Reflection.V1.ReflectionReflection.Descriptor,
            Tracker.Api.V1Alpha1.EventServiceReflection.Descriptor,
            Google.Rpc.StatusReflection.Descriptor,
            Google.Rpc.ErrorDetailsReflection.Descriptor));
        try
        {
            return await ClientProcess.RunAsync(Python, [Path.Combine(RepoPaths.Interop, "python_client.py"), Server.GrpcTarget, descriptorSet]);
        }
        finally
        {
            File.Delete(descriptorSet);
        }
    }

    /// <summary>The files and everything they import, each after its imports, as a FileDescriptorSet.</summary>
    private static byte[] DescriptorSet(params FileDescriptor[] files)
    {
        var set = new FileDescriptorSet();
        var added = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            Add(file);
        }

        return set.ToByteArray();

        void Add(FileDescriptor file)
        {
            if (!added.Add(file.Name))
            {
                return;
            }

            foreach (var dependency in file.Dependencies)
            {
                Add(dependency);
            }

            set.File.Add(FileDescriptorProto.Parser.ParseFrom(file.SerializedData));
        }
    }
}
