using MediConnect.Portal.Data;

namespace MediConnect.Portal.Features.Shared.Notifications.Delivery;

/// <summary>
/// The SMS gateway: <c>SMS_GATEWAY_URL</c> (Twilio's API when not set), <c>SMS_ACCOUNT_SID</c>,
/// <c>SMS_AUTH_TOKEN</c> (a secret: never logged, never shown), <c>SMS_FROM</c>, and
/// <c>SMS_DEFAULT_COUNTRY_CODE</c> for numbers typed without their country code. SMS is on only
/// when the account, the token and the sender are all set.
/// </summary>
public sealed record SmsSettings(Uri GatewayUrl, string? AccountSid, string? AuthToken, string? Sender, string? DefaultCountryCode)
{
    public static readonly Uri TwilioApi = new("https://api.twilio.com");

    /// <summary>How long one request to the gateway may take; no answer by then is a temporary failure.</summary>
    public static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(15);

    public bool IsConfigured => AccountSid is not null && AuthToken is not null && Sender is not null;

    /// <summary>No gateway: SMS is off.</summary>
    public static SmsSettings Off { get; } = new(TwilioApi, null, null, null, null);

    /// <exception cref="PortalConfigurationException">A setting is malformed, or SMS is only partly configured.</exception>
    public static SmsSettings From(IConfiguration config)
    {
        var url = Value(config, "SMS_GATEWAY_URL");
        var gateway = TwilioApi;
        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out gateway!) || gateway.Scheme is not ("http" or "https")))
            throw new PortalConfigurationException($"SMS_GATEWAY_URL must be an http or https address such as https://api.twilio.com; it is '{url}'.");

        var countryCode = Value(config, "SMS_DEFAULT_COUNTRY_CODE")?.TrimStart('+');
        if (countryCode is not null && (countryCode.Length is < 1 or > 3 || !countryCode.All(char.IsAsciiDigit) || countryCode[0] == '0'))
            throw new PortalConfigurationException($"SMS_DEFAULT_COUNTRY_CODE must be a country calling code of 1 to 3 digits such as 1 or 44; it is '{countryCode}'.");

        var settings = new SmsSettings(gateway, Value(config, "SMS_ACCOUNT_SID"), Value(config, "SMS_AUTH_TOKEN"), Value(config, "SMS_FROM"), countryCode);
        string[] missing = [.. new[] { ("SMS_ACCOUNT_SID", settings.AccountSid), ("SMS_AUTH_TOKEN", settings.AuthToken), ("SMS_FROM", settings.Sender) }
            .Where(s => s.Item2 is null).Select(s => s.Item1)];
        if (missing.Length is > 0 and < 3)
            throw new PortalConfigurationException(
                $"SMS is only partly configured: SMS_ACCOUNT_SID, SMS_AUTH_TOKEN and SMS_FROM are all needed (missing: {string.Join(", ", missing)}).");
        return settings;
    }

    static string? Value(IConfiguration config, string key) => string.IsNullOrWhiteSpace(config[key]) ? null : config[key]!.Trim();

    /// <summary>The settings without the token, should a record be printed.</summary>
    public override string ToString() => $"SmsSettings {{ GatewayUrl = {GatewayUrl}, AccountSid = {AccountSid}, Sender = {Sender}, DefaultCountryCode = {DefaultCountryCode} }}";
}
