using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>
/// A real SMTP server on loopback: Debian's <c>python3-aiosmtpd</c> running <c>smtp_server.py</c>
/// in its own process, which stores every message it accepts as a file. Tests read what arrived
/// (headers, parts, attachments) as a mail client would. Recipients with <c>+reject</c> get 550,
/// with <c>+later</c> a 451 first.
/// </summary>
public sealed class SmtpServer : IAsyncLifetime
{
    ExternalProgram? _program;

    public int Port { get; private set; }
    public string Folder { get; } = ExternalProgram.NewFolder("smtp");

    /// <summary>The portal's settings that send through this server.</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["SMTP_HOST"] = "127.0.0.1",
        ["SMTP_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["SMTP_SECURITY"] = "none",
        ["SMTP_FROM"] = "notices@clinic.test",
        ["SMTP_FROM_NAME"] = "Test Clinic",
        ["PORTAL_PUBLIC_URL"] = "https://portal.clinic.test",
        ["CLINIC_TIME_ZONE"] = "UTC",
        ["OUTBOX_POLL_SECONDS"] = "1",
    };

    public async ValueTask InitializeAsync()
    {
        var python = "/usr/bin/python3";
        if (!File.Exists(python) || !File.Exists("/usr/lib/python3/dist-packages/aiosmtpd/__init__.py"))
            throw new InvalidOperationException("python3-aiosmtpd is not installed: run ./test.sh (it installs it as root) or apt-get install python3-aiosmtpd.");
        Port = FreePort();
        _program = ExternalProgram.Start(python, [Path.Combine(AppContext.BaseDirectory, "Fixtures", "smtp_server.py"), Port.ToString(System.Globalization.CultureInfo.InvariantCulture), Folder]);
        await _program.WaitForPortAsync(Port, TimeSpan.FromSeconds(30));
    }

    /// <summary>Every message accepted so far.</summary>
    public IReadOnlyList<MimeMessage> Messages() =>
        [.. Directory.EnumerateFiles(Folder, "*.eml").Select(file => MimeMessage.Load(file))];

    /// <summary>The messages to <paramref name="address"/> once there are <paramref name="count"/> of them.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(string address, int count = 1)
    {
        IReadOnlyList<MimeMessage> found = [];
        await Wait.UntilAsync(() => (found = To(address)).Count >= count, $"{count} message(s) to {address} at the SMTP server", TimeSpan.FromSeconds(60));
        return found;
    }

    public IReadOnlyList<MimeMessage> To(string address) =>
        [.. Messages().Where(m => m.To.Mailboxes.Any(b => b.Address.Equals(address, StringComparison.OrdinalIgnoreCase)))];

    /// <summary>How many files (messages) arrived, without parsing them.</summary>
    public int Count => Directory.EnumerateFiles(Folder, "*.eml").Count();

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_program is not null)
            await _program.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }
}
