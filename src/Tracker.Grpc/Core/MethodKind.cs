namespace Tracker.Grpc;

/// <summary>The four call shapes of gRPC.</summary>
public enum MethodKind
{
    Unary,
    ServerStreaming,
    ClientStreaming,
    DuplexStreaming,
}
