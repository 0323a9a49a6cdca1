namespace Tracker.EndToEnd.Tests.Rest;

/// <summary>
/// The README's examples of refused input ("Unknown parameters and fields are refused"), run with
/// the real curl against a real server: a neighbour's parameter name and a misspelt body field
/// are 400 naming them, never dropped.
/// </summary>
public sealed class UnknownInputCurlTests(SqliteTrackerFixture fixture) : IClassFixture<SqliteTrackerFixture>, IDisposable
{
    private readonly CurlRunner _curl = new();

    public void Dispose()
    {
        _curl.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Curl_LimitOnList_400NamingPerPageAndPageSize()
    {
        var result = await _curl.RunAsync($"curl \"{fixture.Server.HttpAddress}api/v1alpha1/events/list?limit=10\"");

        Assert.True(result.HttpStatus == 400, result.ToString());
        Assert.Equal(
            "Invalid request: limit is not a query parameter of ListEvents; use per_page (page-number paging) or page_size (token paging) instead",
            result.Json.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Curl_MisspeltFieldInUpdate_400NamingItsPath()
    {
        var created = await _curl.RunAsync($$$"""curl -X POST {{{fixture.Server.HttpAddress}}}api/v1alpha1/event -H "Content-Type: application/json" -d '{"title": "Deploy api", "attributes": {"type": 1, "service": "api"}}'""");
        Assert.True(created.HttpStatus == 200, created.ToString());
        var id = created.Json.GetProperty("id").GetString();

        var result = await _curl.RunAsync($$$"""curl -X PUT {{{fixture.Server.HttpAddress}}}api/v1alpha1/event -H "Content-Type: application/json" -d '{"id": "{{{id}}}", "updateMask": "attributes.status", "attributes": {"statuss": "STATUS_SUCCESS"}}'""");

        Assert.True(result.HttpStatus == 400, result.ToString());
        var violation = result.Json.GetProperty("details")[0].GetProperty("fieldViolations")[0];
        Assert.Equal("attributes.statuss", violation.GetProperty("field").GetString());
        Assert.Equal("UNKNOWN_FIELD", violation.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Curl_DeleteWithEtagInJsonBody_400AndTheEventStays()
    {
        var id = await CreateAsync();

        var result = await _curl.RunAsync($$$"""curl -X DELETE {{{fixture.Server.HttpAddress}}}api/v1alpha1/event/{{{id}}} -H 'Content-Type: application/json' -d '{"etag":"wrong","bogus":1}'""");

        Assert.True(result.HttpStatus == 400, result.ToString());
        Assert.Equal("DeleteEvent takes no request body (DELETE /api/v1alpha1/event/{id}); send its fields as query parameters (etag, allow_missing).", result.Json.GetProperty("message").GetString());
        var read = await _curl.RunAsync($"curl {fixture.Server.HttpAddress}api/v1alpha1/event/{id}");
        Assert.True(read.HttpStatus == 200, read.ToString());
    }

    /// <summary>An empty body, sent with Content-Length: 0 or chunked with no bytes, is no body.</summary>
    [Theory]
    [InlineData("-d ''")]
    [InlineData("-H 'Transfer-Encoding: chunked' -d ''")]
    public async Task Curl_DeleteWithEmptyJsonBody_Deletes(string body)
    {
        var id = await CreateAsync();

        var result = await _curl.RunAsync($"curl -X DELETE {fixture.Server.HttpAddress}api/v1alpha1/event/{id} -H 'Content-Type: application/json' {body}");

        Assert.True(result.HttpStatus == 200, result.ToString());
    }

    /// <summary>Over HTTP/1.1 a gRPC Content-Type does not make a gRPC call: the REST route answers that it reads JSON.</summary>
    [Fact]
    public async Task Curl_GrpcContentTypeOnRestRoute_415()
    {
        var result = await _curl.RunAsync($"curl \"{fixture.Server.HttpAddress}api/v1alpha1/events/list?limit=5\" -H 'Content-Type: application/grpc'");

        Assert.True(result.HttpStatus == 415, result.ToString());
        Assert.StartsWith("GET /api/v1alpha1/events/list reads JSON", result.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private async Task<string> CreateAsync()
    {
        var created = await _curl.RunAsync($$$"""curl -X POST {{{fixture.Server.HttpAddress}}}api/v1alpha1/event -H "Content-Type: application/json" -d '{"title": "Deploy api", "attributes": {"type": 1, "service": "api"}}'""");
        Assert.True(created.HttpStatus == 200, created.ToString());
        return created.Json.GetProperty("id").GetString()!;
    }
}
