using System.Security.Claims;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Account;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace MediConnect.Portal.Tests.Features.Account;

public sealed class SessionStoreTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    SessionStore Store() => new(database.DataSource, new SignInSettings(), _time);

    async Task<(string Sid, AuthenticationTicket Ticket)> StoreSessionAsync(string email)
    {
        var user = (await database.SignedInAsync(email)).User! with { SessionId = SessionKey.New(), IpAddress = "198.51.100.4", UserAgent = "Tests/2.0" };
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(CurrentUser.ClaimsFor(user), "Cookies")), "Cookies");
        return (await Store().StoreAsync(ticket), ticket);
    }

    Task<long> SessionRowsAsync(string sid) => database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM sessions WHERE sid = @sid", new { sid });

    [Fact]
    public async Task AStoredSessionComesBackWithItsUserAndRecordsClientAndTimes()
    {
        var (sid, _) = await StoreSessionAsync(SignIn.DoctorEmail);

        var ticket = await Store().RetrieveAsync(sid);

        var user = CurrentUser.FromPrincipal(ticket!.Principal)!;
        Assert.Equal(await database.UserIdAsync(SignIn.DoctorEmail), user.Id);
        Assert.Equal(Roles.Doctor, user.Role);
        Assert.Equal(sid, user.SessionId);
        var row = await database.DataSource.QueryOneAsync<(string, string, DateTime)>(
            "SELECT ip_address, user_agent, expires_at FROM sessions WHERE sid = @sid", new { sid });
        Assert.Equal(("198.51.100.4", "Tests/2.0"), (row.Item1, row.Item2));
        Assert.Equal(_time.GetUtcNow().UtcDateTime.AddMinutes(15), row.Item3, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task ASessionEndsAfterFifteenMinutesWithoutActivity()
    {
        var (sid, _) = await StoreSessionAsync(SignIn.PatientEmail);

        _time.Advance(TimeSpan.FromMinutes(14) + TimeSpan.FromSeconds(59));
        Assert.NotNull(await Store().EndsAtAsync(sid));
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Null(await Store().RetrieveAsync(sid));
        Assert.Null(await Store().EndsAtAsync(sid));
    }

    [Fact]
    public async Task ActivityKeepsASessionAliveButNeverPastTwelveHours()
    {
        var (sid, _) = await StoreSessionAsync(SignIn.AdminEmail);
        var store = Store();

        for (var i = 0; i < 71; i++) // a request every 10 minutes for 11 hours 50 minutes
        {
            _time.Advance(TimeSpan.FromMinutes(10));
            Assert.NotNull(await store.RetrieveAsync(sid));
        }
        var endsAt = await store.EndsAtAsync(sid);
        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(_time.GetUtcNow().UtcDateTime, endsAt!.Value, TimeSpan.FromMilliseconds(1)); // capped at 12 h
        Assert.Null(await store.RetrieveAsync(sid));
    }

    [Fact]
    public async Task StayingSignedInMovesTheIdleEndOn()
    {
        var (sid, _) = await StoreSessionAsync("emily.johnson@mediconnect.demo");
        _time.Advance(TimeSpan.FromMinutes(14));

        var endsAt = await Store().TouchAsync(sid);
        _time.Advance(TimeSpan.FromMinutes(14));

        Assert.Equal(_time.GetUtcNow().UtcDateTime.AddMinutes(1), endsAt!.Value, TimeSpan.FromMilliseconds(1));
        Assert.NotNull(await Store().RetrieveAsync(sid));
    }

    [Fact]
    public async Task ARemovedSessionNoLongerSignsAnyoneIn()
    {
        var (sid, _) = await StoreSessionAsync(SignIn.DoctorEmail);

        await Store().RemoveAsync(sid);

        Assert.Equal(0, await SessionRowsAsync(sid));
        Assert.Null(await Store().RetrieveAsync(sid));
    }

    [Fact]
    public async Task DeactivatingAUserEndsTheirSessions()
    {
        var email = "robert.miller@mediconnect.demo";
        var (sid, _) = await StoreSessionAsync(email);

        await database.DataSource.ExecuteAsync("UPDATE users SET is_active = false WHERE email = @email", new { email });

        Assert.Null(await Store().RetrieveAsync(sid));
    }

    [Fact]
    public async Task TheCleanupDeletesOnlyEndedSessions()
    {
        var (ended, _) = await StoreSessionAsync("noah.kim@mediconnect.demo");
        _time.Advance(TimeSpan.FromMinutes(10));
        var (live, _) = await StoreSessionAsync("noah.kim@mediconnect.demo");
        _time.Advance(TimeSpan.FromMinutes(6));

        await new SessionCleanup(Store(), new SignInSettings(), _time, NullLogger<SessionCleanup>.Instance).RunOnceAsync();

        Assert.Equal(0, await SessionRowsAsync(ended));
        Assert.Equal(1, await SessionRowsAsync(live));
    }
}
