using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Tracker.Interop.Tests;

/// <summary>
/// The schema the third-party clients build their messages from: a google.protobuf.FileDescriptorSet
/// of health, reflection v1, EventService and google.rpc (status and its details), imports
/// included and each file after its imports, as the server itself compiled them.
/// </summary>
internal static class InteropDescriptorSet
{
    /// <summary>Writes the set to a new temporary file and returns its path; the caller deletes it.</summary>
    public static async Task<string> WriteTempFileAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tracker-interop-{Guid.NewGuid():N}.pb");
        await File.WriteAllBytesAsync(path, Build(
            global::Grpc.Health.V1.HealthReflection.Descriptor,
            global::Grpc.Reflection.V1.ReflectionReflection.Descriptor,
            Tracker.Api.V1Alpha1.EventServiceReflection.Descriptor,
            Google.Rpc.StatusReflection.Descriptor,
            Google.Rpc.ErrorDetailsReflection.Descriptor));
        return path;
    }

    private static byte[] Build(params FileDescriptor[] files)
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
