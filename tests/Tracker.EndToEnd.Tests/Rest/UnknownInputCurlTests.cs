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
}
