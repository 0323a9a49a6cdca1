using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Xunit;

namespace Tracker.Grpc.Tests.Transcoding;

/// <summary>The OpenAPI document served at /openapi.json, checked by content and by the official OAS 3.1 schema.</summary>
public sealed class OpenApiDocumentTests : IClassFixture<TranscodingServerFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly TranscodingServerFixture _server;

    public OpenApiDocumentTests(TranscodingServerFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task OpenApi_Document_ValidatesAgainstOpenApi31Schema()
    {
        var document = await GetDocumentTextAsync();
        var file = Path.Combine(Path.GetTempPath(), $"transcoding-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, document).WaitAsync(Timeout);
        try
        {
            var interop = InteropDirectory();
            await EnsureNodeModulesAsync(interop);

            var (exitCode, output) = await RunAsync("node", ["validate-openapi.mjs", file], interop, TimeSpan.FromMinutes(2));

            Assert.True(exitCode == 0, $"The OpenAPI document is not valid:\n{output}");
            Assert.Contains("valid OpenAPI 3.1 document", output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task OpenApi_Document_HasAPathPerBindingWithParametersSchemasAndComments()
    {
        using var document = JsonDocument.Parse(await GetDocumentTextAsync());
        var root = document.RootElement;
        var paths = root.GetProperty("paths");

        Assert.Equal("3.1.0", root.GetProperty("openapi").GetString());
        Assert.Equal("Widgets", root.GetProperty("info").GetProperty("title").GetString());
        Assert.Equal(
            [
                "/v1/echo", "/v1/fail/{code}", "/v1/files/{name}", "/v1/shelves/{shelf}/widgets/{id}", "/v1/widgets", "/v1/widgets/{id}",
                "/v1/widgets/{id}/name", "/v1/widgets/{id}:archive", "/v1/widgets/{widget.id}", "/v1/widgets:watch", "/v1/{name}",
            ],
            paths.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

        var get = paths.GetProperty("/v1/widgets/{id}").GetProperty("get");
        Assert.Equal("transcoding.test.v1.WidgetService.GetWidget", get.GetProperty("operationId").GetString());
        Assert.Equal("Returns one widget.", get.GetProperty("description").GetString());
        var parameters = get.GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
        Assert.Equal(["id", "shelf", "view"], parameters.Keys);
        Assert.Equal("path", parameters["id"].GetProperty("in").GetString());
        Assert.True(parameters["id"].GetProperty("required").GetBoolean());
        Assert.Equal("The widget's id.", parameters["id"].GetProperty("description").GetString());
        Assert.Equal("query", parameters["view"].GetProperty("in").GetString());
        Assert.Equal(
            ["COLOR_UNSPECIFIED", "COLOR_RED", "COLOR_GREEN", "COLOR_DARK_BLUE"],
            parameters["view"].GetProperty("schema").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(
            "#/components/schemas/transcoding.test.v1.Widget",
            get.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());

        var list = paths.GetProperty("/v1/widgets").GetProperty("get").GetProperty("parameters").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!);
        Assert.Contains("location.building", list.Keys);
        Assert.Equal("array", list["tags"].GetProperty("schema").GetProperty("type").GetString());
        Assert.Equal("date-time", list["createdAfter"].GetProperty("schema").GetProperty("format").GetString());
        Assert.Equal("Made after this time.", list["createdAfter"].GetProperty("description").GetString());

        var create = paths.GetProperty("/v1/widgets").GetProperty("post");
        Assert.Equal(
            "#/components/schemas/transcoding.test.v1.Widget",
            create.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());

        var nameOnly = paths.GetProperty("/v1/widgets/{id}/name").GetProperty("get").GetProperty("responses").GetProperty("200");
        Assert.Equal("string", nameOnly.GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("type").GetString());

        var schemas = root.GetProperty("components").GetProperty("schemas");
        var widget = schemas.GetProperty("transcoding.test.v1.Widget");
        Assert.Equal("Something to manage.", widget.GetProperty("description").GetString());
        Assert.Equal("Its display name.", widget.GetProperty("properties").GetProperty("name").GetProperty("description").GetString());
        Assert.Equal("string", widget.GetProperty("properties").GetProperty("count").GetProperty("type").GetString());
        Assert.Equal("object", widget.GetProperty("properties").GetProperty("labels").GetProperty("type").GetString());
        var color = schemas.GetProperty("transcoding.test.v1.Color");
        Assert.Contains("COLOR_DARK_BLUE (3): Dark blue.", color.GetProperty("description").GetString());
        Assert.True(schemas.TryGetProperty("google.rpc.Status", out _));
    }

    private async Task<string> GetDocumentTextAsync()
    {
        using var response = await _server.Client.GetAsync("/openapi.json").WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        return await response.Content.ReadAsStringAsync().WaitAsync(Timeout);
    }

    private static string InteropDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "interop");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("tests/interop was not found above " + AppContext.BaseDirectory);
    }

    // The validator is a pinned npm package; install the lock file's versions when they are missing.
    private static async Task EnsureNodeModulesAsync(string interop)
    {
        if (Directory.Exists(Path.Combine(interop, "node_modules", "@seriousme", "openapi-schema-validator")))
        {
            return;
        }

        var (exitCode, output) = await RunAsync("npm", ["install", "--no-audit", "--no-fund"], interop, TimeSpan.FromMinutes(5));
        Assert.True(exitCode == 0, $"npm install failed in {interop}:\n{output}");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string[] arguments, string directory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout.WaitAsync(timeout) + await stderr.WaitAsync(timeout));
    }
}
