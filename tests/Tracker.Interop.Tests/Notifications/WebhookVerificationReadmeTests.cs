using System.Text.Json;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace Tracker.Interop.Tests.Notifications;

/// <summary>
/// The README's three webhook verification snippets ("### A webhook"), run as written against a
/// request a real Tracker process signed and delivered: each accepts it and refuses a tampered body.
/// </summary>
[Collection(NotificationsCollection.Name)]
public sealed class WebhookVerificationReadmeTests(NotificationsFixture fixture) : IDisposable
{
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("tracker-readme-");

    [Fact]
    public async Task PythonSnippet_DeliveredWebhook_TrueAndTamperedFalse()
    {
        var webhook = await fixture.WebhookAsync();
        var script = ReadmeNotifications.Block("A webhook", "python") + """


            import json, sys
            case = json.load(open(sys.argv[1]))
            print(verify(case["secret"], case["headers"], case["body"].encode()),
                  verify(case["secret"], case["headers"], case["tampered"].encode()))
            """;

        var run = await RunAsync("/usr/bin/python3", "verify.py", script, webhook);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("True False", run.Output.Trim());
    }

    [Fact]
    public async Task NodeSnippet_DeliveredWebhook_TrueAndTamperedFalse()
    {
        var webhook = await fixture.WebhookAsync();
        var script = ReadmeNotifications.Block("A webhook", "js") + """


            const fs = require("node:fs");
            const c = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
            console.log(verify(c.secret, c.headers, Buffer.from(c.body)), verify(c.secret, c.headers, Buffer.from(c.tampered)));
            """;

        var run = await RunAsync("node", "verify.js", script, webhook);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("true false", run.Output.Trim());
    }

    [Fact]
    public void CSharpSnippet_VerifiesWithTheStandardWebhooksCall()
    {
        var snippet = ReadmeNotifications.Block("A webhook", "csharp");

        // The handler's core, below, is this exact call; the catch names the exception it throws.
        Assert.Contains("new StandardWebhooks.StandardWebhook(secret).Verify(body, request.Headers);", snippet);
        Assert.Contains("catch (StandardWebhooks.Diagnostics.WebhookVerificationException)", snippet);
        Assert.Contains("await new StreamReader(request.Body).ReadToEndAsync()", snippet);
    }

    [Fact]
    public async Task CSharpSnippetCall_DeliveredWebhook_VerifiesAndTamperedThrows()
    {
        var webhook = await fixture.WebhookAsync();
        var secret = webhook.Secret;
        var headers = new HeaderDictionary();
        foreach (var (name, value) in webhook.Headers)
        {
            headers[name] = value;
        }

        // The README's handler, with the body as its StreamReader reads it.
        var body = webhook.Request.Body;
        new StandardWebhook(secret).Verify(body, headers);

        body = webhook.TamperedBody;
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(secret).Verify(body, headers));
    }

    public void Dispose() => _scratch.Delete(recursive: true);

    private async Task<ClientRun> RunAsync(string program, string scriptName, string script, DeliveredWebhook webhook)
    {
        Assert.NotEqual(webhook.Request.Body, webhook.TamperedBody);
        var scriptPath = Path.Combine(_scratch.FullName, scriptName);
        var casePath = Path.Combine(_scratch.FullName, "case.json");
        await File.WriteAllTextAsync(scriptPath, script);
        await File.WriteAllTextAsync(casePath, JsonSerializer.Serialize(new
        {
            secret = webhook.Secret,
            headers = webhook.Headers,
            body = webhook.Request.Body,
            tampered = webhook.TamperedBody,
        }));
        return await ClientProcess.RunAsync(program, [scriptPath, casePath]);
    }
}
