using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace Tracker.Server.Transport;

/// <summary>
/// Before the gRPC-Web middleware: marks an application/grpc-web-text request for
/// <see cref="GrpcFramingGuard"/>, and gives the middleware's base64 decoder the body through a
/// <see cref="Reader"/> that can close a read the decoder left open when it failed.
/// </summary>
internal sealed class GrpcWebTextBody(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentType?.StartsWith("application/grpc-web-text", StringComparison.OrdinalIgnoreCase) != true)
        {
            return next(context);
        }

        var original = context.Features.Get<IRequestBodyPipeFeature>();
        var reader = new Reader(context.Request.BodyReader);
        context.Features.Set<IRequestBodyPipeFeature>(reader);
        context.Features.Set(reader);
        return InvokeThenRestoreAsync(context, original);
    }

    private async Task InvokeThenRestoreAsync(HttpContext context, IRequestBodyPipeFeature? original)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            context.Features.Set(original);
            context.Features.Set<Reader>(null);
        }
    }

    /// <summary>The raw body, remembering the last read until it is advanced past.</summary>
    internal sealed class Reader(PipeReader inner) : PipeReader, IRequestBodyPipeFeature
    {
        private ReadResult? _open;

        PipeReader IRequestBodyPipeFeature.Reader => this;

        /// <summary>Ends a read that was never advanced past, consuming what it returned.</summary>
        public void ReleaseOpenRead()
        {
            if (_open is { } open)
            {
                _open = null;
                inner.AdvanceTo(open.Buffer.End);
            }
        }

        public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            var result = await inner.ReadAsync(cancellationToken).ConfigureAwait(false);
            _open = result;
            return result;
        }

        public override bool TryRead(out ReadResult result)
        {
            if (!inner.TryRead(out result))
            {
                return false;
            }

            _open = result;
            return true;
        }

        public override void AdvanceTo(SequencePosition consumed)
        {
            _open = null;
            inner.AdvanceTo(consumed);
        }

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
        {
            _open = null;
            inner.AdvanceTo(consumed, examined);
        }

        public override void CancelPendingRead() => inner.CancelPendingRead();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);
    }
}
