using System.Globalization;
using System.Text.RegularExpressions;
using MediConnect.Portal.Data;

namespace MediConnect.Portal.Features.Shared.Notifications.Delivery;

/// <summary>
/// How outgoing notices are queued and sent: the portal's public address (for links), the reminder
/// offsets, the clinic's time zone (quiet hours, calendar invites), the critical-reading rate limit
/// and the outbox workers' pace. Read once at start-up; a malformed value stops the start.
/// </summary>
public sealed partial record NoticeSettings(
    Uri? PublicUrl,
    IReadOnlyList<TimeSpan> ReminderOffsets,
    TimeZoneInfo ClinicTimeZone,
    TimeSpan CriticalReadingInterval,
    TimeSpan PollInterval,
    TimeSpan Lease,
    int MaxAttempts,
    TimeSpan RetryBase)
{
    public static readonly NoticeSettings Default = new(null, [TimeSpan.FromHours(24), TimeSpan.FromHours(2)], TimeZoneInfo.Utc,
        TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(2), 8, TimeSpan.FromSeconds(30));

    /// <exception cref="PortalConfigurationException">A setting is malformed.</exception>
    public static NoticeSettings From(IConfiguration config, TimeZoneInfo localZone) => new(
        PublicUrlFrom(config["PORTAL_PUBLIC_URL"]),
        OffsetsFrom(config["REMINDER_OFFSETS"]),
        ZoneFrom(config["CLINIC_TIME_ZONE"], localZone),
        TimeSpan.FromMinutes(DatabaseSettings.ReadInt(config, "CRITICAL_NOTICE_INTERVAL_MINUTES", 30, min: 1, max: 1440)),
        TimeSpan.FromSeconds(DatabaseSettings.ReadInt(config, "OUTBOX_POLL_SECONDS", 2, min: 1, max: 60)),
        TimeSpan.FromSeconds(DatabaseSettings.ReadInt(config, "OUTBOX_LEASE_SECONDS", 120, min: 10, max: 3600)),
        DatabaseSettings.ReadInt(config, "OUTBOX_MAX_ATTEMPTS", 8, min: 1, max: 50),
        TimeSpan.FromSeconds(30));

    /// <summary>An absolute link to a page of the portal (<paramref name="path"/> starts with /).</summary>
    public string Link(string path) => PublicUrl is null ? path : new Uri(PublicUrl, path).ToString();

    static Uri? PublicUrlFrom(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
            return null;
        if (!Uri.TryCreate(raw.Trim().TrimEnd('/') + "/", UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            throw new PortalConfigurationException(
                $"PORTAL_PUBLIC_URL must be an absolute http or https address such as https://portal.clinic.example, but is '{raw}'.");
        return url;
    }

    static IReadOnlyList<TimeSpan> OffsetsFrom(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
            return Default.ReminderOffsets;
        if (raw.Trim().Equals("none", StringComparison.OrdinalIgnoreCase))
            return [];
        var offsets = new List<TimeSpan>();
        foreach (var part in raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var m = Offset().Match(part);
            if (!m.Success || int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) == 0)
                throw new PortalConfigurationException(
                    $"REMINDER_OFFSETS must be durations before the visit such as 24h,2h (m, h or d; or none), but is '{raw}'.");
            var n = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            offsets.Add(m.Groups[2].Value switch { "m" => TimeSpan.FromMinutes(n), "h" => TimeSpan.FromHours(n), _ => TimeSpan.FromDays(n) });
        }
        return [.. offsets.Distinct().OrderDescending()];
    }

    static TimeZoneInfo ZoneFrom(string? raw, TimeZoneInfo localZone)
    {
        if (string.IsNullOrWhiteSpace(raw))
            return localZone;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(raw.Trim());
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new PortalConfigurationException($"CLINIC_TIME_ZONE must be a time zone such as Europe/Berlin or UTC, but is '{raw}'.");
        }
    }

    [GeneratedRegex(@"^(\d{1,4})\s*([mhd])$")]
    private static partial Regex Offset();
}
