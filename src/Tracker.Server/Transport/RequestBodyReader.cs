using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace Tracker.Server.Transport;

/// <summary>
/// Runs the rest of the pipeline with the request body read through another <see cref="PipeReader"/>
/// (a checking or unwrapping reader of the body guards), and puts the original body feature back
/// when the request is done, so that nothing after it holds a reader of a finished request.
/// </summary>
internal static class RequestBodyReader
{
    /// <summary>Calls <paramref name="next"/> with <paramref name="reader"/> as the request body's reader.</summary>
    public static Task ReadThroughAsync(this HttpContext context, PipeReader reader, RequestDelegate next)
    {
        var original = context.Features.Get<IRequestBodyPipeFeature>();
        context.Features.Set<IRequestBodyPipeFeature>(new Body(reader));
        return InvokeThenRestoreAsync(context, original, next);
    }

    private static async Task InvokeThenRestoreAsync(HttpContext context, IRequestBodyPipeFeature? original, RequestDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            context.Features.Set(original);
        }
    }

    private sealed class Body(PipeReader reader) : IRequestBodyPipeFeature
    {
        public PipeReader Reader => reader;
    }
}
