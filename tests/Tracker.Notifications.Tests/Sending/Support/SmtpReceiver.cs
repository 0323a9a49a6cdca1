using System.Diagnostics;
using System.Text.Json;
using MimeKit;

namespace Tracker.Notifications.Tests.Sending.Support;

/// <summary>One message the SMTP server accepted: its envelope and the message as received.</summary>
public sealed record ReceivedMail(string MailFrom, IReadOnlyList<string> Recipients, MimeMessage Message);

/// <summary>
/// A real SMTP server (aiosmtpd, Sending/Python/smtp_receiver.py) on 127.0.0.1 at a free port,
/// saving what it accepts to a temporary folder. Recipients "refuse…@" get 550, "later…@" 451.
/// </summary>
public sealed class SmtpReceiver : IDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private SmtpReceiver(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public static async Task<SmtpReceiver> StartAsync()
    {
        var folder = Directory.CreateTempSubdirectory("tracker-smtp-").FullName;
        var process = Process.Start(DebianPython.StartInfo("smtp_receiver.py", folder))!;
        var firstLine = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (!int.TryParse(firstLine, out var port))
        {
            var error = await process.StandardError.ReadToEndAsync();
            process.Kill();
            throw new InvalidOperationException($"the SMTP receiver did not start: {firstLine} {error}");
        }

        return new SmtpReceiver(process, folder, port);
    }

    /// <summary>Every message accepted so far, in order.</summary>
    public IReadOnlyList<ReceivedMail> Messages() =>
        Directory.GetFiles(_folder, "*.json")
            .OrderBy(path => int.Parse(Path.GetFileNameWithoutExtension(path)))
            .Select(path =>
            {
                using var envelope = JsonDocument.Parse(File.ReadAllText(path));
                var recipients = envelope.RootElement.GetProperty("rcpt_tos").EnumerateArray().Select(item => item.GetString()!).ToList();
                var message = MimeMessage.Load(Path.ChangeExtension(path, ".eml"));
                return new ReceivedMail(envelope.RootElement.GetProperty("mail_from").GetString()!, recipients, message);
            })
            .ToList();

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
