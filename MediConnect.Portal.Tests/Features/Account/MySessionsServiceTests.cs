using System.Security.Claims;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Account;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.AspNetCore.Authentication;

namespace MediConnect.Portal.Tests.Features.Account;

public sealed class MySessionsServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    async Task<string> NewSessionAsync(PortalUser user, string agent)
    {
        var session = user with { SessionId = SessionKey.New(), UserAgent = agent, IpAddress = "192.0.2.10" };
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(CurrentUser.ClaimsFor(session), "Cookies")), "Cookies");
        return await new SessionStore(database.DataSource, new SignInSettings(), TimeProvider.System).StoreAsync(ticket);
    }

    MySessionsService Service(TestCurrentUser user) => new(database.DataSource, user, new AuditLog(user), TimeProvider.System);

    [Fact]
    public async Task TheListShowsOnlyMySessionsAndMarksThisOneWithoutRevealingKeys()
    {
        var me = await database.SignedInAsync(SignIn.DoctorEmail);
        var here = await NewSessionAsync(me.User!, "Firefox here");
        var elsewhere = await NewSessionAsync(me.User!, "Chrome elsewhere");
        await NewSessionAsync((await database.SignedInAsync(SignIn.PatientEmail)).User!, "someone else");
        me.User = me.User! with { SessionId = here };

        var sessions = await Service(me).ListAsync();

        Assert.Equal(2, sessions.Count);
        Assert.Equal("Firefox here", Assert.Single(sessions, s => s.IsCurrent).UserAgent);
        Assert.DoesNotContain(sessions, s => s.Handle == here || s.Handle == elsewhere);
        Assert.Contains(sessions, s => s.Handle == SessionKey.Handle(elsewhere));
    }

    [Fact]
    public async Task EndingASessionDeletesItAndIsAudited()
    {
        var me = await database.SignedInAsync(SignIn.AdminEmail);
        var other = await NewSessionAsync(me.User!, "old laptop");

        Assert.True(await Service(me).EndAsync(SessionKey.Handle(other)));

        Assert.Equal(0, await database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM sessions WHERE sid = @other", new { other }));
        var (action, ip) = await database.DataSource.QueryOneAsync<(string, string)>(
            "SELECT action, ip_address FROM audit_log WHERE user_id = @id ORDER BY id DESC LIMIT 1", new { id = me.User!.Id });
        Assert.Equal(("session_revoked", "127.0.0.1"), (action, ip));
    }

    [Fact]
    public async Task NobodyCanEndSomeoneElsesSession()
    {
        var patient = await database.SignedInAsync("emily.johnson@mediconnect.demo");
        var theirs = await NewSessionAsync(patient.User!, "their phone");
        var me = await database.SignedInAsync("michael.brown@mediconnect.demo");

        Assert.False(await Service(me).EndAsync(SessionKey.Handle(theirs)));

        Assert.Equal(1, await database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM sessions WHERE sid = @theirs", new { theirs }));
    }

    [Fact]
    public async Task EndingAllOtherSessionsKeepsThisOne()
    {
        var me = await database.SignedInAsync("maria.rodriguez@mediconnect.demo");
        var here = await NewSessionAsync(me.User!, "here");
        await NewSessionAsync(me.User!, "tablet");
        await NewSessionAsync(me.User!, "phone");
        me.User = me.User! with { SessionId = here };

        var ended = await Service(me).EndOthersAsync();

        Assert.Equal(2, ended);
        Assert.Equal([SessionKey.Handle(here)], (await Service(me).ListAsync()).Select(s => s.Handle));
    }
}
