using Google.Protobuf.Reflection;

namespace Tracker.Grpc.Transcoding;

/// <summary>
/// The proto comments of services, methods, messages, fields, enums and enum values, by full
/// name, read from descriptor sets built with source info. Generated C# descriptors carry no
/// comments, so this is where the OpenAPI descriptions come from.
/// </summary>
internal sealed class ProtoCommentIndex
{
    // Field numbers in descriptor.proto that source-info paths are made of.
    private const int FileMessageType = 4;
    private const int FileEnumType = 5;
    private const int FileService = 6;
    private const int MessageField = 2;
    private const int MessageNestedType = 3;
    private const int MessageEnumType = 4;
    private const int EnumValue = 2;
    private const int ServiceMethod = 2;

    private readonly Dictionary<string, string> _comments = new(StringComparer.Ordinal);

    public static ProtoCommentIndex Empty { get; } = new([]);

    public ProtoCommentIndex(IEnumerable<byte[]> descriptorSets)
    {
        foreach (var bytes in descriptorSets)
        {
            foreach (var file in FileDescriptorSet.Parser.ParseFrom(bytes).File)
            {
                Index(file);
            }
        }
    }

    /// <summary>The comment of an element ("pkg.Message", "pkg.Message.field", "pkg.Enum.VALUE", "pkg.Service.Method"), or null.</summary>
    public string? Find(string fullName) => _comments.GetValueOrDefault(fullName);

    private void Index(FileDescriptorProto file)
    {
        if (file.SourceCodeInfo is null)
        {
            return;
        }

        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var prefix = file.Package.Length > 0 ? file.Package + "." : "";
        for (var i = 0; i < file.MessageType.Count; i++)
        {
            NameMessage(names, [FileMessageType, i], prefix, file.MessageType[i]);
        }

        for (var i = 0; i < file.EnumType.Count; i++)
        {
            NameEnum(names, [FileEnumType, i], prefix, file.EnumType[i]);
        }

        for (var i = 0; i < file.Service.Count; i++)
        {
            var service = file.Service[i];
            var serviceName = prefix + service.Name;
            names[Key([FileService, i])] = serviceName;
            for (var j = 0; j < service.Method.Count; j++)
            {
                names[Key([FileService, i, ServiceMethod, j])] = serviceName + "." + service.Method[j].Name;
            }
        }

        foreach (var location in file.SourceCodeInfo.Location)
        {
            if (names.TryGetValue(Key(location.Path), out var name) && Clean(location.LeadingComments, location.TrailingComments) is { } comment)
            {
                _comments[name] = comment;
            }
        }
    }

    private static void NameMessage(Dictionary<string, string> names, List<int> path, string prefix, DescriptorProto message)
    {
        var name = prefix + message.Name;
        names[Key(path)] = name;
        for (var i = 0; i < message.Field.Count; i++)
        {
            names[Key([.. path, MessageField, i])] = name + "." + message.Field[i].Name;
        }

        for (var i = 0; i < message.NestedType.Count; i++)
        {
            NameMessage(names, [.. path, MessageNestedType, i], name + ".", message.NestedType[i]);
        }

        for (var i = 0; i < message.EnumType.Count; i++)
        {
            NameEnum(names, [.. path, MessageEnumType, i], name + ".", message.EnumType[i]);
        }
    }

    private static void NameEnum(Dictionary<string, string> names, List<int> path, string prefix, EnumDescriptorProto type)
    {
        var name = prefix + type.Name;
        names[Key(path)] = name;
        for (var i = 0; i < type.Value.Count; i++)
        {
            names[Key([.. path, EnumValue, i])] = name + "." + type.Value[i].Name;
        }
    }

    private static string Key(IEnumerable<int> path) => string.Join(',', path);

    private static string? Clean(string leading, string trailing)
    {
        var text = string.IsNullOrWhiteSpace(leading) ? trailing : leading;
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return string.Join('\n', text.Trim().Split('\n').Select(line => line.Trim()));
    }
}
