using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Tracker.Grpc;

/// <summary>A response held in its protobuf wire form; see <see cref="EncodedMessage{T}"/>.</summary>
public interface IEncodedMessage : IMessage
{
    /// <summary>The message's encoding, exactly as it goes on the wire.</summary>
    ReadOnlySpan<byte> Bytes { get; }

    /// <summary>The message itself, parsed from <see cref="Bytes"/>.</summary>
    IMessage Decode();
}

/// <summary>
/// A <typeparamref name="T"/> kept as its encoding, for responses put together from parts that
/// are encoded already, such as stored documents placed in a repeated field: a gRPC response
/// copies the bytes as they are, and only JSON transcoding parses them into a
/// <typeparamref name="T"/>. A unary method may return Task&lt;EncodedMessage&lt;TResponse&gt;&gt;
/// in place of Task&lt;TResponse&gt; (see <see cref="ServiceBinder"/>).
/// </summary>
public sealed class EncodedMessage<T> : IEncodedMessage
    where T : IMessage<T>, new()
{
    private static readonly MessageParser<T> Parser = new(() => new T());
    private static readonly MessageDescriptor TypeDescriptor = new T().Descriptor;
    private readonly byte[] _bytes;

    /// <param name="bytes">A valid encoding of a <typeparamref name="T"/>; it is not copied.</param>
    public EncodedMessage(byte[] bytes)
    {
        _bytes = bytes;
    }

    public ReadOnlySpan<byte> Bytes => _bytes;

    public MessageDescriptor Descriptor => TypeDescriptor;

    public T Decode() => Parser.ParseFrom(_bytes);

    IMessage IEncodedMessage.Decode() => Decode();

    public int CalculateSize() => _bytes.Length;

    // CodedOutputStream takes no raw bytes; this path is not the transport's (GrpcFrameWriter copies Bytes).
    public void WriteTo(CodedOutputStream output) => Decode().WriteTo(output);

    public void MergeFrom(CodedInputStream input) =>
        throw new NotSupportedException($"An encoded {TypeDescriptor.FullName} is read-only; parse a {typeof(T).Name} instead.");
}
