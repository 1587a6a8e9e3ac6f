using System.Text.RegularExpressions;
using Bunit;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Notifications.Delivery;
using MediConnect.Portal.Features.Shared.Notifications.Preferences;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MediConnect.Portal.Tests.Features.Shared.Notifications.Preferences;

/// <summary>The Notifications page with SMS configured: a patient verifies a phone by its code and turns SMS reminders on.</summary>
public sealed class NotificationSettingsPageTests(TestDatabase database) : DatabaseComponentTest(database, services: s =>
    s.AddSingleton(new SmsSettings(new Uri("http://127.0.0.1:9"), "AC1", "token", "+15550100000", "1"))), IClassFixture<TestDatabase>
{
    async Task<int> NewPatientAsync()
    {
        var user = await SignInAsync(await Database.NewUserAsync(Roles.Patient));
        return user.User!.Id;
    }

    [Fact]
    public async Task APatientVerifiesAPhoneByItsCodeAndTurnsSmsRemindersOn()
    {
        var userId = await NewPatientAsync();
        Render<MudPopoverProvider>();
        var page = Render<NotificationSettingsPage>();
        await page.WaitForAssertionAsync(() => Assert.Contains("No phone number yet", page.Find("#contact-sms").TextContent));
        Assert.Equal("true", page.Find(".sms-appointment_reminder input").HasAttribute("disabled") ? "true" : "false");

        await page.Find("#contact-sms-address").ChangeAsync("555-010-2040");
        await page.Find("#contact-sms-send").ClickAsync(new());
        await page.WaitForAssertionAsync(() => Assert.NotNull(page.Find("#contact-sms-code")));
        var message = await Database.DataSource.QueryOneAsync<string>(
            "SELECT message FROM notifications WHERE user_id = @userId AND kind = 'contact_verification' AND recipient = '+15550102040'", new { userId });
        await page.Find("#contact-sms-code").ChangeAsync(Regex.Match(message!, "[0-9]{6}").Value);
        await page.Find("#contact-sms-verify").ClickAsync(new());

        await page.WaitForAssertionAsync(() => Assert.Contains("Verified", page.Find("#contact-sms").TextContent));
        Assert.Contains("+15550102040", page.Find("#contact-sms").TextContent);
        await page.WaitForAssertionAsync(() => Assert.False(page.Find(".sms-appointment_reminder input").HasAttribute("disabled")));
        await page.Find(".sms-appointment_reminder input").ChangeAsync(new ChangeEventArgs { Value = true });
        await page.Find("#quiet-from").ChangeAsync("21:00");
        await page.Find("#quiet-until").ChangeAsync("07:00");
        await page.Find("#save-choices").ClickAsync(new());

        await page.WaitForAssertionAsync(() => Assert.NotNull(page.Find("#choices-saved")));
        Assert.True(await Database.DataSource.QueryOneAsync<bool>(
            "SELECT enabled FROM notification_preferences WHERE user_id = @userId AND kind = 'appointment_reminder' AND channel = 'sms'", new { userId }));
        Assert.Equal("21:00:00", await Database.DataSource.QueryOneAsync<string>(
            "SELECT quiet_from::text FROM notification_settings WHERE user_id = @userId", new { userId }));
    }

    [Fact]
    public async Task AJunkNumberGetsAMessageBesideTheFieldAndNoCodeIsSent()
    {
        var userId = await NewPatientAsync();
        Render<MudPopoverProvider>();
        var page = Render<NotificationSettingsPage>();
        await page.WaitForAssertionAsync(() => Assert.NotNull(page.Find("#contact-sms-address")));

        await page.Find("#contact-sms-address").ChangeAsync("call the front desk");
        await page.Find("#contact-sms-send").ClickAsync(new());

        await page.WaitForAssertionAsync(() => Assert.Contains("A phone number has digits only", page.Find("#contact-sms").TextContent));
        Assert.Empty(page.FindAll("#contact-sms-code"));
        Assert.Equal(0L, await Database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM notifications WHERE user_id = @userId", new { userId }));
    }

    [Fact]
    public async Task WithoutAnEmailSenderThePageSaysEmailIsOffAndOffersNoCode()
    {
        await NewPatientAsync();
        Render<MudPopoverProvider>();
        var page = Render<NotificationSettingsPage>();

        await page.WaitForAssertionAsync(() => Assert.Contains("This clinic does not send email yet.", page.Find("#channels-off").TextContent));
        Assert.Contains("Email is not set up at this clinic yet", page.Find("#contact-email").TextContent);
        Assert.Empty(page.FindAll("#contact-email-send"));
    }
}
