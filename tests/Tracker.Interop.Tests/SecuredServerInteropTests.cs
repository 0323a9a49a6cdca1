using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tracker.Testing;

namespace Tracker.Interop.Tests;

/// <summary>
/// The real server with API keys required and reflection for authenticated callers only,
/// called by buf curl (gRPC, gRPC-Web, through reflection with the same header) and
/// curl (REST), as a CI pipeline would.
/// </summary>
public sealed class SecuredServerInteropTests(SecuredServerInteropTests.KeysRequired server) : IClassFixture<SecuredServerInteropTests.KeysRequired>
{
    private const string Key = "trk_interop-payments";
    private const string EventService = "tracker.event.v1alpha1.EventService/";

    [Fact]
    public async Task BufCurl_WithKey_CreatesThroughReflectionAndRecordsTheKeyName()
    {
        var run = await BufCurlAsync("grpc", server.GrpcUrl, "CreateEvent", """{"title": "Deploy payments", "attributes": {"type": 1, "service": "payments-api"}}""", Key);

        Assert.True(run.ExitCode == 0, run.ToString());
        var created = JsonDocument.Parse(run.Output).RootElement;
        Assert.Equal("payments-ci", created.GetProperty("createdBy").GetString());
    }

    [Fact]
    public async Task BufCurl_NoKey_ReflectionAnswersUnauthenticatedSayingWhy()
    {
        // Reflection needs the key too here. buf only says it found no such service; its -v
        // output shows the status the server sent.
        var run = await BufCurlAsync("grpc", server.GrpcUrl, "ListEvents", "{}", key: null, verbose: true);

        Assert.NotEqual(0, run.ExitCode);
        Assert.True(run.Error.Contains("Grpc-Status: 16", StringComparison.Ordinal), run.ToString());
        Assert.Contains("Auth%3AReflection%20is%20Authenticated", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BufCurlGrpcWeb_OtherService_PermissionDeniedNamingOnlyTheKeysServices()
    {
        var run = await BufCurlAsync("grpcweb", server.HttpUrl, "CreateEvent", """{"title": "Deploy checkout", "attributes": {"type": 1, "service": "checkout"}}""", Key);

        Assert.NotEqual(0, run.ExitCode);
        var error = JsonDocument.Parse(run.Error).RootElement;
        Assert.Equal("permission_denied", error.GetProperty("code").GetString());
        Assert.Contains("may write only events of the services \"payments-*\"", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("checkout", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Curl_Rest_NoKeyIs401WithChallengeAndKeyIs200()
    {
        var url = new Uri(server.HttpUrl, "/api/v1alpha1/events/list").ToString();

        var refused = await ClientProcess.RunAsync("curl", ["-s", "-i", url]);
        var allowed = await ClientProcess.RunAsync("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer " + Key, url]);

        Assert.StartsWith("HTTP/1.1 401", refused.Output, StringComparison.Ordinal);
        Assert.Contains("WWW-Authenticate: Bearer realm=\"tracker\"", refused.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("CREDENTIALS_MISSING", refused.Output, StringComparison.Ordinal);
        Assert.Equal("200", allowed.Output);
    }

    private static Task<ClientRun> BufCurlAsync(string protocol, Uri address, string method, string body, string? key, bool verbose = false)
    {
        List<string> arguments = ["curl", "--protocol", protocol];
        if (verbose)
        {
            arguments.Add("-v");
        }

        if (protocol == "grpc")
        {
            arguments.Add("--http2-prior-knowledge");
        }

        if (key is not null)
        {
            // With Auth:Reflection Authenticated, reflection needs the key too: '*' sends it there as well.
            arguments.AddRange(["-H", "Authorization: Bearer " + key, "--reflect-header", "*"]);
        }

        arguments.AddRange(["-d", body, new Uri(address, EventService + method).ToString()]);
        return ClientProcess.RunAsync(RepoPaths.Buf, arguments);
    }

    /// <summary>The server with API keys required, one key for payments-* services, and authenticated reflection.</summary>
    public sealed class KeysRequired() : TrackerServerFixture(new Dictionary<string, string>
    {
        ["Auth__Mode"] = "ApiKey",
        ["Auth__Reflection"] = "Authenticated",
        ["Auth__ApiKeys__payments-ci__Hash"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key))),
        ["Auth__ApiKeys__payments-ci__Scopes__0"] = "events:read",
        ["Auth__ApiKeys__payments-ci__Scopes__1"] = "events:write",
        ["Auth__ApiKeys__payments-ci__Services__0"] = "payments-*",
    });
}
