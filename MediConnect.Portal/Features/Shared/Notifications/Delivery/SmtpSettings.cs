using MailKit.Security;
using MediConnect.Portal.Data;
using MimeKit;

namespace MediConnect.Portal.Features.Shared.Notifications.Delivery;

/// <summary>
/// The mail relay notices go through (<c>SMTP_*</c>). Without <c>SMTP_HOST</c> email is off: no
/// email notice is queued and the portal runs as without it. The password is kept here only, never logged.
/// </summary>
public sealed record SmtpSettings(
    string Host, int Port, SecureSocketOptions Security, string? UserName, string? Password,
    MailboxAddress Sender, bool AllowInvalidCertificate, TimeSpan Timeout)
{
    /// <summary>The settings, or null when <c>SMTP_HOST</c> is not set.</summary>
    /// <exception cref="PortalConfigurationException">A setting is missing or malformed.</exception>
    public static SmtpSettings? From(IConfiguration config, NoticeSettings notices)
    {
        var host = config["SMTP_HOST"]?.Trim();
        if (string.IsNullOrEmpty(host))
            return null;
        var security = (config["SMTP_SECURITY"]?.Trim().ToLowerInvariant() ?? "starttls") switch
        {
            "" or "starttls" => SecureSocketOptions.StartTls,
            "tls" => SecureSocketOptions.SslOnConnect,
            "none" => SecureSocketOptions.None,
            _ => throw new PortalConfigurationException($"SMTP_SECURITY must be starttls, tls or none, but is '{config["SMTP_SECURITY"]}'."),
        };
        var port = DatabaseSettings.ReadInt(config, "SMTP_PORT", security switch
        {
            SecureSocketOptions.SslOnConnect => 465,
            SecureSocketOptions.None => 25,
            _ => 587,
        }, min: 1, max: 65535);
        var user = Blank(config["SMTP_USERNAME"]);
        var password = Blank(config["SMTP_PASSWORD"]);
        if ((user is null) != (password is null))
            throw new PortalConfigurationException("SMTP_USERNAME and SMTP_PASSWORD must be set together (or neither, for a relay that needs no sign-in).");
        if (user is not null && security == SecureSocketOptions.None)
            throw new PortalConfigurationException("SMTP_USERNAME is set but SMTP_SECURITY=none would send the password unencrypted: use starttls or tls.");
        var fromAddress = Blank(config["SMTP_FROM"])
            ?? throw new PortalConfigurationException("SMTP_FROM must be set when SMTP_HOST is: the address notices come from, e.g. notices@clinic.example.");
        if (!MailboxAddress.TryParse(fromAddress, out var from) || !from.Address.Contains('@', StringComparison.Ordinal))
            throw new PortalConfigurationException($"SMTP_FROM must be an email address such as notices@clinic.example, but is '{fromAddress}'.");
        from.Name = Blank(config["SMTP_FROM_NAME"]) ?? "MediConnect Portal";
        if (notices.PublicUrl is null)
            throw new PortalConfigurationException(
                "PORTAL_PUBLIC_URL must be set when SMTP_HOST is: emails link to the portal by its public address, e.g. https://portal.clinic.example.");
        var timeout = TimeSpan.FromSeconds(DatabaseSettings.ReadInt(config, "SMTP_TIMEOUT_SECONDS", 30, min: 1, max: 600));
        if (timeout >= notices.Lease)
            throw new PortalConfigurationException(
                $"SMTP_TIMEOUT_SECONDS ({timeout.TotalSeconds}) must be shorter than OUTBOX_LEASE_SECONDS ({notices.Lease.TotalSeconds}): a send still running when its lease ends could be sent twice.");
        return new SmtpSettings(host, port, security, user, password, from,
            DatabaseSettings.ReadBool(config, "SMTP_ALLOW_INVALID_CERTIFICATE", false), timeout);
    }

    /// <summary>Never the password.</summary>
    public override string ToString() => $"{Host}:{Port} ({Security})";

    static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
