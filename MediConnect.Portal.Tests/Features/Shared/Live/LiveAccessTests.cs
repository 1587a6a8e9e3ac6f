using MediConnect.Portal.Features.Shared.Live;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;

namespace MediConnect.Portal.Tests.Features.Shared.Live;

/// <summary>Who may be told of what: the services' access rules applied to events' ids, with the real care team.</summary>
public sealed class LiveAccessTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    async Task<bool> MayKnowAsync(string email, LiveEvent e)
    {
        var user = (await database.SignedInAsync(email)).User!;
        return (await LiveAccess.AllowedAsync(user, [e], Demo.CareTeam(database))).Count == 1;
    }

    async Task<int> IdOf(string email) => await database.UserIdAsync(email);

    [Fact]
    public async Task AClinicalEventReachesThePatientAndTheDoctorsOfTheirCareTeamOnly()
    {
        var (john, smith, patel) = (await IdOf(Demo.John), await IdOf(Demo.Smith), await IdOf(Demo.Patel));
        Assert.True(await Demo.CareTeam(database).AreLinkedAsync(smith, john));
        Assert.False(await Demo.CareTeam(database).AreLinkedAsync(patel, john));

        foreach (var table in new[] { "appointments", "prescriptions", "medical_records", "vital_signs" })
        {
            var e = new LiveEvent(table, "insert") { Id = 1, PatientId = john, DoctorId = table == "vital_signs" ? null : smith };
            Assert.True(await MayKnowAsync(Demo.John, e), table);
            Assert.True(await MayKnowAsync(Demo.Smith, e), table);
            Assert.False(await MayKnowAsync(Demo.Patel, e), table);
            Assert.False(await MayKnowAsync(Demo.Emily, e), table);
            Assert.False(await MayKnowAsync(Demo.Admin, e), table);
        }
    }

    [Fact]
    public async Task ADoctorHearsOfAnotherDoctorsAppointmentWithTheirPatientBecauseTheChartShowsIt()
    {
        var (john, smith, chen) = (await IdOf(Demo.John), await IdOf(Demo.Smith), await IdOf(Demo.Chen));
        var withChen = new LiveEvent("appointments", "update") { Id = 1, PatientId = john, DoctorId = chen };

        Assert.True(await MayKnowAsync(Demo.Smith, withChen));
        Assert.True(await MayKnowAsync(Demo.Chen, withChen));
        Assert.False(await MayKnowAsync(Demo.Patel, withChen));
    }

    [Fact]
    public async Task MessagesNotificationsAndSessionsReachTheirOwnPeople()
    {
        var (john, smith) = (await IdOf(Demo.John), await IdOf(Demo.Smith));

        var message = new LiveEvent("messages", "insert") { Id = 1, SenderId = john, RecipientId = smith };
        Assert.True(await MayKnowAsync(Demo.John, message));
        Assert.True(await MayKnowAsync(Demo.Smith, message));
        Assert.False(await MayKnowAsync(Demo.Chen, message));
        Assert.False(await MayKnowAsync(Demo.Admin, message));

        var notification = new LiveEvent("notifications", "insert") { Id = 1, UserId = smith };
        Assert.True(await MayKnowAsync(Demo.Smith, notification));
        Assert.False(await MayKnowAsync(Demo.John, notification));

        var session = new LiveEvent("sessions", "delete") { UserId = john };
        Assert.True(await MayKnowAsync(Demo.John, session));
        Assert.True(await MayKnowAsync(Demo.Admin, session));
        Assert.False(await MayKnowAsync(Demo.Smith, session));
    }

    [Fact]
    public async Task UsersAndMigrationsAreForAdminsAndAReloadIsForEveryone()
    {
        var progress = new LiveEvent(LiveEvent.MigrationsTable, "run_started") { Run = "r" };
        Assert.True(await MayKnowAsync(Demo.Admin, progress));
        Assert.False(await MayKnowAsync(Demo.Smith, progress));

        var user = new LiveEvent("users", "update") { Id = await IdOf(Demo.Emily), UserId = await IdOf(Demo.Emily) };
        Assert.True(await MayKnowAsync(Demo.Admin, user));
        Assert.True(await MayKnowAsync(Demo.Emily, user));
        Assert.False(await MayKnowAsync(Demo.John, user));

        Assert.True(await MayKnowAsync(Demo.John, LiveEvent.Reload));
        Assert.True(await MayKnowAsync(Demo.Admin, LiveEvent.Reload));
    }

    [Fact]
    public async Task AClinicalEventWithoutItsPatientReachesNobody()
    {
        var orphan = new LiveEvent("vital_signs", "delete") { Id = 1 };

        Assert.False(await MayKnowAsync(Demo.Smith, orphan));
        Assert.False(await MayKnowAsync(Demo.John, orphan));
    }
}
