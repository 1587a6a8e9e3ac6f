using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Messages;
using MediConnect.Portal.Features.Shared.Notifications;
using MediConnect.Portal.Features.Patient.Appointments;
using MediConnect.Portal.Features.Patient.Prescriptions;
using MediConnect.Portal.Features.Patient.Profile;
using MediConnect.Portal.Features.Patient.Records;
using MediConnect.Portal.Features.Shared.Vitals;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;

namespace MediConnect.Portal.Tests.Features.Patient;

/// <summary>John Doe, signed in, tries Emily Johnson's ids on every service method of the patient workspace.</summary>
public sealed class PatientAccessTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    Task<int> EmilyAsync() => database.UserIdAsync(Demo.Emily);

    async Task<TestCurrentUser> JohnAsync() => await database.SignedInAsync(Demo.John);

    [Fact]
    public async Task APatientReadsOnlyTheirOwnVitals()
    {
        var john = await JohnAsync();
        var reader = new VitalsReader(database.DataSource, database.Reads, john, Demo.ChartAccess(database, john));
        var emily = await EmilyAsync();

        var mine = await reader.ReadingsAsync(john.User!.Id, DateTime.UtcNow.AddDays(-365));

        Assert.NotEmpty(mine);
        var emilysReadings = await database.DataSource.QueryListAsync<int>(
            "SELECT v.id FROM vital_signs v JOIN patients p ON p.id = v.patient_id WHERE p.user_id = @emily", new { emily });
        Assert.DoesNotContain(mine, r => emilysReadings.Contains(r.Id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => reader.ReadingsAsync(emily));
        await Assert.ThrowsAsync<AccessDeniedException>(() => reader.LatestAsync(emily));
    }

    [Fact]
    public async Task APatientReachesOnlyTheirOwnPrescriptions()
    {
        var john = await JohnAsync();
        var service = new PatientPrescriptionService(database.DataSource, john, Demo.Audit(john), TimeProvider.System);
        var emily = await EmilyAsync();
        var emilysActive = await database.DataSource.QueryOneAsync<int>(
            "SELECT id FROM prescriptions WHERE patient_id = @emily AND status = 'active' LIMIT 1", new { emily });
        var messagesBefore = await database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM messages");

        var mine = await service.MineAsync();
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.RequestRefillAsync(emilysActive));

        var johnsIds = await database.DataSource.QueryListAsync<int>("SELECT id FROM prescriptions WHERE patient_id = @Id", new { john.User!.Id });
        Assert.Equal(johnsIds.Order(), mine.Current.Concat(mine.History).Select(p => p.Id).Order());
        Assert.Equal(messagesBefore, await database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM messages"));
    }

    [Fact]
    public async Task APatientReachesOnlyTheirOwnAppointments()
    {
        var john = await JohnAsync();
        var service = new PatientAppointmentService(database.DataSource, john, Demo.Audit(john), TimeProvider.System);
        var emily = await EmilyAsync();
        var emilysUpcoming = await database.DataSource.QueryOneAsync<int>(
            "SELECT id FROM appointments WHERE patient_id = @emily AND status IN ('scheduled', 'confirmed') AND appointment_date > CURRENT_DATE LIMIT 1",
            new { emily });

        const string WhenSql = "SELECT appointment_date::text || ' ' || appointment_time::text || ' ' || status FROM appointments WHERE id = @emilysUpcoming";
        var emilysBefore = await database.DataSource.QueryOneAsync<string>(WhenSql, new { emilysUpcoming });
        var weekday = DateOnly.FromDateTime(DateTime.Today).AddDays(30);
        while (weekday.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            weekday = weekday.AddDays(1);

        var mine = await service.MineAsync();
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.CancelAsync(emilysUpcoming, "Not mine"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.RescheduleAsync(emilysUpcoming, weekday, new TimeOnly(9, 0)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.FreeSlotsToMoveAsync(emilysUpcoming, weekday));

        var johnsIds = await database.DataSource.QueryListAsync<int>("SELECT id FROM appointments WHERE patient_id = @Id", new { john.User!.Id });
        Assert.Equal(johnsIds.Order(), mine.Upcoming.Concat(mine.Past).Select(a => a.Id).Order());
        Assert.Equal(emilysBefore, await database.DataSource.QueryOneAsync<string>(WhenSql, new { emilysUpcoming }));
    }

    [Fact]
    public async Task APatientReachesOnlyTheirOwnMessages()
    {
        var john = await JohnAsync();
        var service = new MessageService(database.DataSource, john, Demo.Audit(john), Demo.CareTeam(database), new UnreadCounts());
        var emily = await EmilyAsync();
        var emilysUnread = await database.DataSource.QueryOneAsync<int>(
            "SELECT id FROM messages WHERE recipient_id = @emily AND NOT is_read LIMIT 1", new { emily });

        var mine = (await service.InboxAsync()).Messages.Concat((await service.SentAsync()).Messages);
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.OpenAsync(emilysUnread));
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.OpenConversationAsync(emilysUnread));

        Assert.NotEmpty(mine);
        Assert.All(mine, m => Assert.True(m.SenderId == john.User!.Id || m.RecipientId == john.User.Id));
        Assert.False(await database.DataSource.QueryOneAsync<bool>("SELECT is_read FROM messages WHERE id = @emilysUnread", new { emilysUnread }));
    }

    [Fact]
    public async Task APatientReachesOnlyTheirOwnRecords()
    {
        var john = await JohnAsync();
        var service = new PatientRecordService(database.DataSource, john, Demo.Audit(john));
        var emily = await EmilyAsync();
        var emilysRecord = await database.DataSource.QueryOneAsync<int>("SELECT id FROM medical_records WHERE patient_id = @emily LIMIT 1", new { emily });

        var mine = await service.MineAsync();
        var first = await service.DetailAsync(mine[0].Id);
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.DetailAsync(emilysRecord));

        var johnsIds = await database.DataSource.QueryListAsync<int>("SELECT id FROM medical_records WHERE patient_id = @Id", new { john.User!.Id });
        Assert.Equal(johnsIds.Order(), mine.Select(r => r.Id).Order());
        Assert.Equal(mine[0].RecordType, first.RecordType);
    }

    [Fact]
    public async Task APatientReachesOnlyTheirOwnNotifications()
    {
        var john = await JohnAsync();
        var service = new NotificationService(database.DataSource, john, Demo.Audit(john), new UnreadCounts());
        var smith = await database.UserIdAsync(Demo.Smith);
        var smithsUnread = await database.DataSource.QueryOneAsync<int>(
            "SELECT id FROM notifications WHERE user_id = @smith AND read_at IS NULL LIMIT 1", new { smith });

        var mine = await service.MineAsync();
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.MarkReadAsync(smithsUnread));

        var johnsIds = await database.DataSource.QueryListAsync<int>(
            "SELECT id FROM notifications WHERE user_id = @Id AND type = 'in_app'", new { john.User!.Id });
        Assert.Equal(johnsIds.Order(), mine.Select(n => n.Id).Order());
        Assert.Null(await database.DataSource.QueryOneAsync<DateTime?>("SELECT read_at FROM notifications WHERE id = @smithsUnread", new { smithsUnread }));
    }

    [Fact]
    public async Task APatientSeesAndChangesOnlyTheirOwnProfile()
    {
        var john = await JohnAsync();
        var service = new PatientProfileService(database.DataSource, john, Demo.Audit(john));
        var emily = await EmilyAsync();
        var emilysBefore = await database.DataSource.QueryOneAsync<string>("SELECT address FROM patients WHERE user_id = @emily", new { emily });

        var profile = await service.MineAsync();
        var edit = ProfileEdit.From(profile);
        edit.Address = "1 New Street";
        var updated = await service.UpdateAsync(edit);

        Assert.Equal(Demo.John, profile.Email);
        Assert.Equal("1 New Street", updated.Address);
        Assert.Equal(emilysBefore, await database.DataSource.QueryOneAsync<string>("SELECT address FROM patients WHERE user_id = @emily", new { emily }));
    }

    [Fact]
    public async Task ADoctorOrNobodyCannotUseThePatientServices()
    {
        var smith = await database.SignedInAsync(Demo.Smith);
        var nobody = new TestCurrentUser(null);

        foreach (var user in new[] { smith, nobody })
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => new PatientPrescriptionService(database.DataSource, user, Demo.Audit(user), TimeProvider.System).MineAsync());
            await Assert.ThrowsAsync<AccessDeniedException>(() => new PatientRecordService(database.DataSource, user, Demo.Audit(user)).MineAsync());
            await Assert.ThrowsAsync<AccessDeniedException>(() => new PatientProfileService(database.DataSource, user, Demo.Audit(user)).MineAsync());
            await Assert.ThrowsAsync<AccessDeniedException>(() => new PatientAppointmentService(database.DataSource, user, Demo.Audit(user), TimeProvider.System)
                .RescheduleAsync(1, DateOnly.FromDateTime(DateTime.Today).AddDays(30), new TimeOnly(9, 0)));
        }
        await Assert.ThrowsAsync<AccessDeniedException>(() => new MessageService(database.DataSource, nobody, Demo.Audit(nobody), Demo.CareTeam(database), new UnreadCounts()).InboxAsync());
    }
}
