using System.Text;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace Tracker.Server.Schema;

/// <summary>
/// Files made in memory at start-up (the web UI's <c>js/schema.js</c>), served by the same static
/// file middleware as the embedded ones, with the same headers, ETag and Last-Modified (their
/// time of making, so a new server's file is fetched anew).
/// </summary>
internal sealed class GeneratedFileProvider : IFileProvider
{
    private readonly Dictionary<string, IFileInfo> _files;

    /// <param name="files">By path under the root, without a leading slash: ("js/schema.js", its text).</param>
    /// <param name="made">Their Last-Modified.</param>
    public GeneratedFileProvider(IEnumerable<(string Path, string Text)> files, DateTimeOffset made)
    {
        _files = files.ToDictionary(f => f.Path, f => (IFileInfo)new GeneratedFile(f.Path, Encoding.UTF8.GetBytes(f.Text), made), StringComparer.Ordinal);
    }

    public IFileInfo GetFileInfo(string subpath) =>
        _files.GetValueOrDefault(subpath.TrimStart('/')) ?? new NotFoundFileInfo(subpath);

    // Only files are served from here; the embedded provider answers for directories.
    public IDirectoryContents GetDirectoryContents(string subpath) => NotFoundDirectoryContents.Singleton;

    public IChangeToken Watch(string filter) => NullChangeToken.Singleton;

    private sealed class GeneratedFile(string path, byte[] content, DateTimeOffset made) : IFileInfo
    {
        public bool Exists => true;

        public long Length => content.Length;

        public string? PhysicalPath => null;

        public string Name => System.IO.Path.GetFileName(path);

        public DateTimeOffset LastModified => made;

        public bool IsDirectory => false;

        public Stream CreateReadStream() => new MemoryStream(content, writable: false);
    }
}
