using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Tracker.Server.Tests.Support;

/// <summary>REST calls with a JSON body (or raw bytes), read back whole.</summary>
public static class Rest
{
    public static Task<RestResponse> SendRestAsync(this HttpClient client, HttpMethod method, string path, string? json = null) =>
        client.SendBytesAsync(method, path, json is null ? null : Encoding.UTF8.GetBytes(json));

    public static Task<RestResponse> GetRestAsync(this HttpClient client, string path) => client.SendRestAsync(HttpMethod.Get, path);

    public static Task<RestResponse> PostRestAsync(this HttpClient client, string path, string json) => client.SendRestAsync(HttpMethod.Post, path, json);

    public static Task<RestResponse> PutRestAsync(this HttpClient client, string path, string json) => client.SendRestAsync(HttpMethod.Put, path, json);

    public static Task<RestResponse> DeleteRestAsync(this HttpClient client, string path) => client.SendRestAsync(HttpMethod.Delete, path);

    /// <summary>Sends <paramref name="body"/> as it is, labelled application/json, so a test can send bytes that are not UTF-8.</summary>
    public static async Task<RestResponse> SendBytesAsync(this HttpClient client, HttpMethod method, string path, byte[]? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        using var response = await client.SendAsync(request).Bounded();
        var text = await response.Content.ReadAsStringAsync().Bounded();
        return new RestResponse(response.StatusCode, text, response.Content.Headers.ContentType?.MediaType);
    }
}

/// <summary>A REST answer: its HTTP status, body text and media type.</summary>
public sealed record RestResponse(HttpStatusCode Status, string Body, string? MediaType)
{
    /// <summary>The body parsed as JSON.</summary>
    public JsonElement Json
    {
        get
        {
            using var document = JsonDocument.Parse(Body);
            return document.RootElement.Clone();
        }
    }

    /// <summary>The JSON body, after checking the HTTP status (the failure message shows the body).</summary>
    public JsonElement Expect(HttpStatusCode status)
    {
        Assert.True(status == Status, $"Expected {(int)status} {status}, got {(int)Status} {Status}: {Body}");
        return Json;
    }
}
