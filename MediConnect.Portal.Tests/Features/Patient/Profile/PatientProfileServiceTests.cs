using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Notifications;
using MediConnect.Portal.Features.Patient.Profile;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;

namespace MediConnect.Portal.Tests.Features.Patient.Profile;

public sealed class PatientProfileServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    async Task<PatientProfileService> AsAsync(string email)
    {
        var user = await database.SignedInAsync(email);
        return new PatientProfileService(database.DataSource, user, Demo.Audit(user));
    }

    [Fact]
    public async Task APatientUpdatesContactEmergencyContactAndInsuranceAndTheChangeIsAudited()
    {
        var service = await AsAsync(Demo.Michael);
        var edit = ProfileEdit.From(await service.MineAsync());
        edit.Phone = "+1 (555) 0199";
        edit.EmergencyContactName = "Anna Brown (wife)";
        edit.InsuranceProvider = "Aetna";
        edit.InsuranceMemberId = "AET-1";

        var updated = await service.UpdateAsync(edit);

        Assert.Equal("+1 (555) 0199", updated.Phone);
        Assert.Equal("Anna Brown (wife)", updated.EmergencyContactName);
        Assert.Equal("Aetna", updated.InsuranceProvider);
        Assert.Equal(Demo.Michael, updated.Email);
        Assert.Equal("patient", updated.Role);
        var audit = await database.DataSource.QueryOneAsync<string>(
            "SELECT coalesce(old_values::text, '') || new_values::text FROM audit_log WHERE action = 'patient_profile_update' ORDER BY id DESC LIMIT 1");
        Assert.Contains("\"changed\": [\"phone\", \"emergencyContactName\", \"insuranceProvider\", \"insuranceMemberId\"]", audit); // the fields, not their values
        Assert.DoesNotContain("0199", audit);
        Assert.DoesNotContain("Aetna", audit);
    }

    [Fact]
    public async Task ABadPhoneNumberIsRefusedWithAMessageForThatField()
    {
        var service = await AsAsync(Demo.Michael);
        var edit = ProfileEdit.From(await service.MineAsync());
        edit.EmergencyContactPhone = "call me maybe";

        var error = await Assert.ThrowsAsync<FieldValidationException>(() => service.UpdateAsync(edit));

        Assert.Equal([nameof(ProfileEdit.EmergencyContactPhone)], error.Errors.Keys);
    }
}

public sealed class NotificationServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task MarkingANotificationReadLowersTheUnreadCountAndIsAudited()
    {
        var john = await database.SignedInAsync(Demo.John);
        var counts = new UnreadCounts();
        var changes = 0;
        counts.OnChanged += () => changes++;
        var service = new NotificationService(database.DataSource, john, Demo.Audit(john), counts);
        var unread = (await service.MineAsync()).First(n => !n.IsRead);
        var before = await service.UnreadCountAsync();

        await service.MarkReadAsync(unread.Id);

        Assert.Equal(before - 1, await service.UnreadCountAsync());
        Assert.True((await service.MineAsync()).Single(n => n.Id == unread.Id).IsRead);
        Assert.Equal(1, changes);
        Assert.Equal(1L, await database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action = 'notification_read' AND entity_id = @id", new { id = unread.Id.ToString() }));
    }

    [Fact]
    public async Task MarkAllReadClearsTheCount()
    {
        var smith = await database.SignedInAsync(Demo.Smith);
        var service = new NotificationService(database.DataSource, smith, Demo.Audit(smith), new UnreadCounts());

        var marked = await service.MarkAllReadAsync();

        Assert.True(marked > 0);
        Assert.Equal(0, await service.UnreadCountAsync());
    }
}
