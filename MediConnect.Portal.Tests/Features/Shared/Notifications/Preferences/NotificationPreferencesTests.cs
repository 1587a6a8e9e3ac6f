using System.Text.RegularExpressions;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Notifications.Delivery;
using MediConnect.Portal.Features.Shared.Notifications.Preferences;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace MediConnect.Portal.Tests.Features.Shared.Notifications.Preferences;

/// <summary>Channels per kind, quiet hours and contacts verified by a code, on the real database; each user only their own.</summary>
public sealed class NotificationPreferencesTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    /// <summary>SMS configured (the gateway is never called here: nothing sends in these tests), numbers typed without + are American.</summary>
    static readonly SmsSettings Sms = new(new Uri("http://127.0.0.1:9"), "AC123", "token", "+15550100000", "1");
    readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    NotificationPreferences Service(ICurrentUser user, SmsSettings? sms = null)
    {
        var settings = sms ?? Sms;
        return new NotificationPreferences(database.DataSource, user, Demo.Audit(user),
            [new SmsSender(settings, new HttpClient(), NullLogger<SmsSender>.Instance)], settings, _clock);
    }

    async Task<(NotificationPreferences Service, int UserId)> NewPatientAsync()
    {
        var user = await NewPatientUserAsync();
        return (Service(user), user.User!.Id);
    }

    async Task<TestCurrentUser> NewPatientUserAsync() => await database.SignedInAsync(await database.NewUserAsync(Roles.Patient));

    /// <summary>The code as the queued notice carries it to the phone (the worker of the outbox would send it).</summary>
    async Task<string> QueuedCodeAsync(int userId)
    {
        var message = await database.DataSource.QueryOneAsync<string>(
            "SELECT message FROM notifications WHERE user_id = @userId AND kind = 'contact_verification' ORDER BY id DESC LIMIT 1", new { userId });
        return Regex.Match(message!, "[0-9]{6}").Value;
    }

    [Fact]
    public async Task ACodeIsQueuedForTheNumberInTheSameTransactionAndOnlyItsHashIsStored()
    {
        var (service, userId) = await NewPatientAsync();

        await service.SendCodeAsync("sms", "(555) 010-2030");

        var code = await QueuedCodeAsync(userId);
        var notice = await database.DataSource.QueryOneAsync<(string Type, string Recipient, string Status, string Xmin)>(
            "SELECT type, recipient, status, xmin::text FROM notifications WHERE user_id = @userId AND kind = 'contact_verification'", new { userId });
        var contact = await database.DataSource.QueryOneAsync<(string Row, string Xmin)>(
            "SELECT row_to_json(c)::text, xmin::text FROM notification_contacts c WHERE user_id = @userId AND channel = 'sms'", new { userId });
        var auditXmin = await database.DataSource.QueryOneAsync<string>(
            "SELECT xmin::text FROM audit_log WHERE action = 'notification_contact_code_sent' AND entity_id = @id", new { id = userId.ToString() });
        Assert.Equal(("sms", "+15550102030", "pending"), (notice.Type, notice.Recipient, notice.Status));
        Assert.Equal(notice.Xmin, contact.Xmin); // one transaction wrote both, and the audit row
        Assert.Equal(notice.Xmin, auditXmin);
        Assert.DoesNotContain(code, contact.Row);
        Assert.Contains("\"verified_at\":null", contact.Row);
        Assert.False((await service.MineAsync()).Phone.Verified);
    }

    [Fact]
    public async Task TheRightCodeVerifiesTheNumber()
    {
        var (service, userId) = await NewPatientAsync();
        await service.SendCodeAsync("sms", "+1 (555) 010-2031");

        var result = await service.VerifyAsync("sms", await QueuedCodeAsync(userId));

        Assert.True(result.Verified, result.Message);
        var phone = (await service.MineAsync()).Phone;
        Assert.Equal(("+15550102031", true, false), (phone.Address, phone.Verified, phone.CodeWaiting));
        Assert.Equal(1L, await database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action = 'notification_contact_verified' AND entity_id = @id", new { id = userId.ToString() }));
    }

    [Fact]
    public async Task FiveWrongCodesLockTheCodeEvenForTheRightOne()
    {
        var (service, userId) = await NewPatientAsync();
        await service.SendCodeAsync("sms", "555 010 2032");
        var code = await QueuedCodeAsync(userId);
        var wrong = code == "000000" ? "111111" : "000000";

        var answers = new List<string>();
        for (var i = 0; i < 5; i++)
            answers.Add((await service.VerifyAsync("sms", wrong)).Message);
        var afterwards = await service.VerifyAsync("sms", code);

        Assert.Equal("That code is not right. 4 tries left.", answers[0]);
        Assert.Equal("That code is not right, and that was the last try. Ask for a new code.", answers[4]);
        Assert.False(afterwards.Verified);
        Assert.Equal("Too many wrong codes. Ask for a new code.", afterwards.Message);
        Assert.False((await service.MineAsync()).Phone.Verified);
    }

    [Fact]
    public async Task AnExpiredCodeNoLongerVerifies()
    {
        var (service, userId) = await NewPatientAsync();
        await service.SendCodeAsync("sms", "555 010 2033");
        var code = await QueuedCodeAsync(userId);

        _clock.Advance(NotificationPreferences.CodeLifetime + TimeSpan.FromSeconds(1));
        var result = await service.VerifyAsync("sms", code);

        Assert.False(result.Verified);
        Assert.Equal("This code has expired. Ask for a new code.", result.Message);
    }

    [Fact]
    public async Task JunkNumbersAndAnUnconfiguredChannelAreRefusedWithAMessageAndQueueNothing()
    {
        var user = await NewPatientUserAsync();
        var (service, userId) = (Service(user), user.User!.Id);

        var junk = await Assert.ThrowsAsync<FieldValidationException>(() => service.SendCodeAsync("sms", "call me maybe"));
        var off = await Assert.ThrowsAsync<BusinessRuleException>(() => Service(user, SmsSettings.Off).SendCodeAsync("sms", "555 010 2034"));
        var noEmailSender = await Assert.ThrowsAsync<BusinessRuleException>(() => service.SendCodeAsync("email", "me@example.com"));

        Assert.Contains("digits only", junk.Errors["Address"]);
        Assert.StartsWith("Text messages are not set up at this clinic yet", off.Message);
        Assert.StartsWith("Email is not set up at this clinic yet", noEmailSender.Message);
        Assert.Equal(0L, await database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM notifications WHERE user_id = @userId", new { userId }));
    }

    [Fact]
    public async Task ChoicesAndQuietHoursAreSavedAndAuditedAndSmsNeedsAVerifiedPhone()
    {
        var (service, userId) = await NewPatientAsync();
        var defaults = await service.MineAsync();
        Assert.Equal(6, defaults.Choices.Count);
        Assert.All(defaults.Choices, c => Assert.True(c.Email && !c.Sms));
        var withSmsReminders = defaults.Choices.Select(c => c.Kind == "appointment_reminder" ? c with { Sms = true } : c.Kind == "new_message" ? c with { Email = false } : c).ToList();

        var refused = await Assert.ThrowsAsync<FieldValidationException>(() => service.SaveAsync(new NotificationChoices(withSmsReminders, null, null)));
        await service.SendCodeAsync("sms", "555 010 2035");
        await service.VerifyAsync("sms", await QueuedCodeAsync(userId));
        var saved = await service.SaveAsync(new NotificationChoices(withSmsReminders, new TimeOnly(21, 0), new TimeOnly(7, 30)));

        Assert.Equal("Add and verify a phone number before turning text messages on.", refused.Errors["Sms"]);
        Assert.True(saved.Choices.Single(c => c.Kind == "appointment_reminder").Sms);
        Assert.False(saved.Choices.Single(c => c.Kind == "new_message").Email);
        Assert.Equal((new TimeOnly(21, 0), new TimeOnly(7, 30)), (saved.QuietFrom, saved.QuietUntil));
        var audit = await database.DataSource.QueryOneAsync<string>(
            "SELECT old_values::text || new_values::text FROM audit_log WHERE action = 'notification_preferences_update' AND entity_id = @id", new { id = userId.ToString() });
        Assert.Contains("\"appointment_reminder\": \"email+sms\"", audit);
        Assert.Contains("\"new_message\": \"none\"", audit);
        Assert.Contains("21:00-07:30", audit);
        var quietRefused = await Assert.ThrowsAsync<FieldValidationException>(() => service.SaveAsync(new NotificationChoices(withSmsReminders, new TimeOnly(21, 0), null)));
        Assert.Equal("Give both ends of the quiet hours, or neither.", quietRefused.Errors["QuietHours"]);
    }

    [Fact]
    public async Task AUserChangesOnlyTheirOwnAndNobodySignedInChangesNothing()
    {
        var (john, johnId) = await NewPatientAsync();
        var (emily, emilyId) = await NewPatientAsync();
        await john.SendCodeAsync("sms", "555 010 2036");
        var johnsCode = await QueuedCodeAsync(johnId);

        var emilysTry = await emily.VerifyAsync("sms", johnsCode);
        var defaults = (await emily.MineAsync()).Choices.Select(c => c with { Email = false }).ToList();
        await emily.SaveAsync(new NotificationChoices(defaults, null, null));
        var anonymous = Service(new TestCurrentUser(null));

        Assert.False(emilysTry.Verified);
        Assert.Equal("No code is waiting. Ask for a new code.", emilysTry.Message);
        Assert.All((await john.MineAsync()).Choices, c => Assert.True(c.Email));
        Assert.Equal(0L, await database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM notification_preferences WHERE user_id = @johnId", new { johnId }));
        Assert.Equal(12L, await database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM notification_preferences WHERE user_id = @emilyId", new { emilyId }));
        await Assert.ThrowsAsync<AccessDeniedException>(() => anonymous.MineAsync());
        await Assert.ThrowsAsync<AccessDeniedException>(() => anonymous.SaveAsync(new NotificationChoices([], null, null)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => anonymous.SendCodeAsync("sms", "555 010 2037"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => anonymous.VerifyAsync("sms", johnsCode));
    }

    [Fact]
    public async Task ADoctorChoosesMessagesAndCriticalReadingsAndAnAdminHasNoKinds()
    {
        var doctor = Service(await database.SignedInAsync(Demo.Smith));
        var admin = Service(await database.SignedInAsync(Demo.Admin));

        Assert.Equal(["new_message", "critical_reading"], (await doctor.MineAsync()).Choices.Select(c => c.Kind));
        Assert.Empty((await admin.MineAsync()).Choices);
    }
}
