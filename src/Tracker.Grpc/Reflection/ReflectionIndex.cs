using Google.Protobuf.Reflection;

namespace Tracker.Grpc.Reflection;

/// <summary>
/// What server reflection can answer, built once from the bound services: their files and every
/// file those import, the symbols each file defines, and the extensions they declare. Immutable
/// after construction, so concurrent reflection streams read it without locks.
/// </summary>
internal sealed class ReflectionIndex
{
    private readonly Dictionary<string, FileDescriptor> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileDescriptor> _symbols = new(StringComparer.Ordinal);
    private readonly HashSet<string> _messages = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Extendee, int Number), FileDescriptor> _extensions = [];
    private readonly Dictionary<string, FileDescriptor[]> _closures = new(StringComparer.Ordinal);

    public ReflectionIndex(IEnumerable<ServiceDescriptor> services)
    {
        ServiceNames = services.Select(s => s.FullName).ToArray();
        foreach (var service in services)
        {
            AddFile(service.File);
        }

        foreach (var file in _files.Values)
        {
            _closures[file.Name] = Closure(file);
        }
    }

    /// <summary>The fully-qualified names of the bound services, in binding order.</summary>
    public IReadOnlyList<string> ServiceNames { get; }

    public FileDescriptor? FindFile(string fileName) => _files.GetValueOrDefault(fileName);

    /// <summary>
    /// The file defining a fully-qualified symbol: a service, method, message (nested too),
    /// field, oneof, enum, enum value (scoped beside its enum, as protoc names it) or extension.
    /// </summary>
    public FileDescriptor? FindFileContainingSymbol(string symbol) => _symbols.GetValueOrDefault(symbol);

    public FileDescriptor? FindFileContainingExtension(string extendee, int number) =>
        _extensions.GetValueOrDefault((extendee, number));

    /// <summary>The extension numbers declared for a message type, ascending; null when the type is unknown.</summary>
    public IReadOnlyList<int>? FindExtensionNumbers(string messageType)
    {
        if (!_messages.Contains(messageType))
        {
            return null;
        }

        return _extensions.Keys.Where(k => k.Extendee == messageType).Select(k => k.Number).Order().ToArray();
    }

    /// <summary>The file followed by each of its transitive dependencies, each once.</summary>
    public IReadOnlyList<FileDescriptor> WithDependencies(FileDescriptor file) => _closures[file.Name];

    private void AddFile(FileDescriptor file)
    {
        if (!_files.TryAdd(file.Name, file))
        {
            return;
        }

        foreach (var dependency in file.Dependencies)
        {
            AddFile(dependency);
        }

        foreach (var service in file.Services)
        {
            AddSymbol(service.FullName, file);
            foreach (var method in service.Methods)
            {
                AddSymbol(method.FullName, file);
            }
        }

        foreach (var message in file.MessageTypes)
        {
            AddMessage(message, file);
        }

        foreach (var enumType in file.EnumTypes)
        {
            AddEnum(enumType, file);
        }

        foreach (var extension in file.Extensions.UnorderedExtensions)
        {
            AddExtension(extension, file);
        }
    }

    private void AddMessage(MessageDescriptor message, FileDescriptor file)
    {
        AddSymbol(message.FullName, file);
        _messages.Add(message.FullName);
        foreach (var field in message.Fields.InDeclarationOrder())
        {
            AddSymbol(field.FullName, file);
        }

        foreach (var oneof in message.Oneofs)
        {
            AddSymbol(oneof.FullName, file);
        }

        foreach (var nested in message.NestedTypes)
        {
            AddMessage(nested, file);
        }

        foreach (var enumType in message.EnumTypes)
        {
            AddEnum(enumType, file);
        }

        foreach (var extension in message.Extensions.UnorderedExtensions)
        {
            AddExtension(extension, file);
        }
    }

    private void AddEnum(EnumDescriptor enumType, FileDescriptor file)
    {
        AddSymbol(enumType.FullName, file);

        // Protobuf scopes enum values beside their enum, not inside it (C++ scoping rules).
        var lastDot = enumType.FullName.LastIndexOf('.');
        var scope = lastDot < 0 ? "" : enumType.FullName[..(lastDot + 1)];
        foreach (var value in enumType.Values)
        {
            AddSymbol(scope + value.Name, file);
        }
    }

    private void AddExtension(FieldDescriptor extension, FileDescriptor file)
    {
        AddSymbol(extension.FullName, file);
        _extensions.TryAdd((extension.ExtendeeType.FullName, extension.FieldNumber), file);
    }

    // Protobuf forbids two definitions of one name, so the first one seen is the only one.
    private void AddSymbol(string fullName, FileDescriptor file) => _symbols.TryAdd(fullName, file);

    private static FileDescriptor[] Closure(FileDescriptor file)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var ordered = new List<FileDescriptor>();
        Visit(file);
        return [.. ordered];

        void Visit(FileDescriptor current)
        {
            if (!seen.Add(current.Name))
            {
                return;
            }

            ordered.Add(current);
            foreach (var dependency in current.Dependencies)
            {
                Visit(dependency);
            }
        }
    }
}
