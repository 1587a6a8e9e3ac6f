using System.Text.RegularExpressions;
using MediConnect.Portal.Data;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Playwright;

namespace MediConnect.Portal.Tests.Journeys;

/// <summary>
/// John opens his email and SMS notifications, adds his phone, types the code sent to it, turns
/// SMS reminders on, and finds the phone verified and the choice kept. The portal's SMS gateway is
/// a loopback server, and the outbox worker sends the code to it (or has not yet, and the code is
/// still in the queued notice, which the worker empties once it has sent it).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class NotificationsJourneyTests(BrowserFixture browser, TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    SmsGateway _gateway = null!;
    PortalFactory _portal = null!;

    public async ValueTask InitializeAsync()
    {
        _gateway = await SmsGateway.StartAsync();
        _portal = new PortalFactory(database.ConnectionString, new Dictionary<string, string?>
        {
            ["SMS_GATEWAY_URL"] = _gateway.Address.ToString(),
            ["SMS_ACCOUNT_SID"] = "AC0123456789abcdef0123456789abcdef",
            ["SMS_AUTH_TOKEN"] = "journey-token",
            ["SMS_FROM"] = "+15550100000",
            ["SMS_DEFAULT_COUNTRY_CODE"] = "1",
        });
    }

    [Fact]
    public async Task JohnVerifiesHisPhoneByItsCodeAndTurnsSmsRemindersOn()
    {
        var page = await browser.NewPageAsync(_portal.StartOnKestrel());
        await page.SignInAsync(SignIn.PatientEmail, SignIn.PatientPassword);

        await page.GotoAsync("/account/notifications");
        await page.WaitForCircuitAsync();
        await Assertions.Expect(page.Locator("#contact-sms")).ToContainTextAsync("No phone number yet");
        await page.FillAsync("#contact-sms-address", "(555) 010-2050");
        await page.Locator("#contact-sms-address").BlurAsync();
        await page.ClickAsync("#contact-sms-send");
        await Assertions.Expect(page.Locator("#contact-sms-code")).ToBeVisibleAsync();

        await page.FillAsync("#contact-sms-code", await VerificationCodeAsync("+15550102050"));
        await page.Locator("#contact-sms-code").BlurAsync();
        await page.ClickAsync("#contact-sms-verify");
        await Assertions.Expect(page.Locator("#contact-sms")).ToContainTextAsync("Verified");

        var reminders = page.Locator(".sms-appointment_reminder input");
        await Assertions.Expect(reminders).ToBeEnabledAsync();
        await reminders.CheckAsync();
        await page.ClickAsync("#save-choices");
        await Assertions.Expect(page.Locator("#choices-saved")).ToBeVisibleAsync();

        await page.ReloadAsync();
        await page.WaitForCircuitAsync();
        await Assertions.Expect(page.Locator("#contact-sms")).ToContainTextAsync("+15550102050");
        await Assertions.Expect(page.Locator("#contact-sms")).ToContainTextAsync("Verified");
        await Assertions.Expect(page.Locator(".sms-appointment_reminder input")).ToBeCheckedAsync();
        Assert.True(await database.DataSource.QueryOneAsync<bool>("""
            SELECT enabled FROM notification_preferences p JOIN users u ON u.id = p.user_id
            WHERE u.email = @email AND kind = 'appointment_reminder' AND channel = 'sms'
            """, new { email = SignIn.PatientEmail }));
    }

    public async ValueTask DisposeAsync()
    {
        await _portal.DisposeAsync();
        await _gateway.DisposeAsync();
    }

    /// <summary>The six-digit code sent to <paramref name="phone"/>: from the SMS the gateway received, or from the notice still queued for it.</summary>
    async Task<string> VerificationCodeAsync(string phone)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var sms = _gateway.Requests.LastOrDefault(r => r.Form.TryGetValue("To", out var to) && to == phone);
            var text = sms is not null ? sms.Form.GetValueOrDefault("Body") : await database.DataSource.QueryOneAsync<string?>(
                "SELECT message FROM notifications WHERE kind = 'contact_verification' AND recipient = @phone AND status = 'pending'", new { phone });
            if (text is not null && Regex.Match(text, "[0-9]{6}") is { Success: true } code)
                return code.Value;
            await Task.Delay(100, timeout.Token);
        }
    }
}
