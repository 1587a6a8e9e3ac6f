using System.Text;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Notifications.Delivery;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediConnect.Portal.Tests.Features.Shared.Notifications.Delivery;

/// <summary>The SMS sender against a loopback HTTP server in the provider's place: the exact request, and its answers mapped to sent, later, failed.</summary>
public sealed class SmsSenderTests : IAsyncLifetime
{
    const string Sid = "AC0123456789abcdef0123456789abcdef";
    const string Token = "secret-auth-token-never-logged";
    SmsGateway _gateway = null!;
    readonly ListLogger<SmsSender> _log = new();

    public async ValueTask InitializeAsync() => _gateway = await SmsGateway.StartAsync();

    public async ValueTask DisposeAsync() => await _gateway.DisposeAsync();

    SmsSender Sender() => new(new SmsSettings(_gateway.Address, Sid, Token, "+15550100000", "1"), new HttpClient(), _log);

    static OutgoingNotice Notice(string recipient = "+15550102030") =>
        new(41, 7, "sms", "appointment_reminder", recipient, "Appointment reminder", "MediConnect: you have a visit tomorrow. Details: https://portal/", 3, null, 1);

    [Fact]
    public async Task ASentSmsIsOnePostInTwiliosShapeWithBasicAuthAndTheFormFields()
    {
        var result = await Sender().SendAsync(Notice(), TestContext.Current.CancellationToken);

        Assert.Equal(DeliveryOutcome.Sent, result.Outcome);
        var request = Assert.Single(_gateway.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/2010-04-01/Accounts/{Sid}/Messages.json", request.Path);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Sid}:{Token}")), request.Authorization);
        Assert.Equal(new Dictionary<string, string>
        {
            ["To"] = "+15550102030",
            ["From"] = "+15550100000",
            ["Body"] = "MediConnect: you have a visit tomorrow. Details: https://portal/",
        }, request.Form);
        Assert.DoesNotContain(_log.Lines, line => line.Contains(Token, StringComparison.Ordinal) || line.Contains("0102030", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AServerErrorIsTriedAgainLaterAndTheNextTryIsSent()
    {
        _gateway.Reply(500, """{"code": 20500, "message": "Internal Server Error", "status": 500}""");
        var sender = Sender();

        var first = await sender.SendAsync(Notice(), TestContext.Current.CancellationToken);
        var second = await sender.SendAsync(Notice() with { Attempt = 2 }, TestContext.Current.CancellationToken);

        Assert.Equal(DeliveryOutcome.TryAgainLater, first.Outcome);
        Assert.Contains("500", first.ServerAnswer);
        Assert.Equal(DeliveryOutcome.Sent, second.Outcome);
        Assert.Equal(2, _gateway.Requests.Count);
    }

    [Fact]
    public async Task AnInvalidNumberFailsAtOnceWithTheProvidersMessage()
    {
        _gateway.Reply(400, """{"code": 21211, "message": "The 'To' number +15550000000 is not a valid phone number.", "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}""");

        var result = await Sender().SendAsync(Notice("+15550000000"), TestContext.Current.CancellationToken);

        Assert.Equal(DeliveryOutcome.Failed, result.Outcome);
        Assert.Equal("400 (error 21211) The 'To' number +15550000000 is not a valid phone number.", result.ServerAnswer);
    }

    [Fact]
    public async Task TooManyRequestsIsTriedAgainLater()
    {
        _gateway.Reply(429, """{"code": 20429, "message": "Too Many Requests", "status": 429}""");

        var result = await Sender().SendAsync(Notice(), TestContext.Current.CancellationToken);

        Assert.Equal(DeliveryOutcome.TryAgainLater, result.Outcome);
    }

    [Fact]
    public async Task AGatewayThatIsNotListeningIsTriedAgainLater()
    {
        var address = _gateway.Address;
        await _gateway.DisposeAsync();
        var sender = new SmsSender(new SmsSettings(address, Sid, Token, "+15550100000", null), new HttpClient(), _log);

        var result = await sender.SendAsync(Notice(), TestContext.Current.CancellationToken);

        Assert.Equal(DeliveryOutcome.TryAgainLater, result.Outcome);
        Assert.StartsWith("Could not reach the SMS gateway", result.ServerAnswer);
        _gateway = await SmsGateway.StartAsync();
    }

    [Fact]
    public void SmsIsOnOnlyWithAccountTokenAndSenderAndAHalfConfigurationIsRefusedByName()
    {
        static SmsSettings Read(params (string Key, string Value)[] values) =>
            SmsSettings.From(new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(v => v.Key, v => (string?)v.Value)).Build());

        Assert.False(Read().IsConfigured);
        Assert.Equal(SmsSettings.TwilioApi, Read().GatewayUrl);
        Assert.True(Read(("SMS_ACCOUNT_SID", Sid), ("SMS_AUTH_TOKEN", Token), ("SMS_FROM", "+15550100000")).IsConfigured);
        var half = Assert.Throws<PortalConfigurationException>(() => Read(("SMS_ACCOUNT_SID", Sid)));
        Assert.Contains("missing: SMS_AUTH_TOKEN, SMS_FROM", half.Message);
        Assert.Throws<PortalConfigurationException>(() => Read(("SMS_GATEWAY_URL", "ftp://gateway")));
        Assert.Throws<PortalConfigurationException>(() => Read(("SMS_DEFAULT_COUNTRY_CODE", "one")));
        Assert.DoesNotContain(Token, Read(("SMS_ACCOUNT_SID", Sid), ("SMS_AUTH_TOKEN", Token), ("SMS_FROM", "+1555")).ToString());
    }
}
