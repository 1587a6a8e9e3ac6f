using System.Security.Claims;
using Bunit;
using MediConnect.Portal.Components.Layout;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Account;
using MediConnect.Portal.Features.Shared.Live;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;

namespace MediConnect.Portal.Tests.Components.Layout;

public sealed class IdleWarningTests : PortalComponentTest, IClassFixture<TestDatabase>
{
    readonly TestDatabase _database;
    readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    readonly SessionStore _sessions;
    readonly TestCurrentUser _user = new(null);

    public IdleWarningTests(TestDatabase database)
    {
        _database = database;
        _sessions = new SessionStore(database.DataSource, new SignInSettings(), _time);
        Services.AddSingleton(new SignInSettings());
        Services.AddSingleton<TimeProvider>(_time);
        Services.AddSingleton(_sessions);
        Services.AddSingleton<ICurrentUser>(_user);
        Services.AddSingleton(new CareTeam(database.DataSource, TimeProvider.System));
        Services.AddSingleton<LiveEventHub>();
        Services.AddScoped<LiveUpdates>();
    }

    async Task<(IRenderedComponent<MudDialogProvider> Dialogs, IRenderedComponent<IdleWarning> Warning, string Sid)> SignedInPageAsync(string email)
    {
        var user = _user.User = (await _database.SignedInAsync(email)).User! with { SessionId = SessionKey.New() };
        var sid = await _sessions.StoreAsync(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(CurrentUser.ClaimsFor(user), "Cookies")), "Cookies"));
        var auth = AddAuthorization();
        auth.SetAuthorized(user.Name);
        auth.SetClaims([.. CurrentUser.ClaimsFor(user)]);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true)); // after the registrations: it builds the renderer
        var dialogs = Render<MudDialogProvider>();
        var warning = Render<IdleWarning>();
        // The first check reads the session at once: a test that changes the session afterwards must not race it.
        await Fixtures.Wait.UntilAsync(() => warning.Instance.EndsAt is not null, "the first check to read the session");
        return (dialogs, warning, sid);
    }

    void AdvanceMinutes(int minutes)
    {
        for (var i = 0; i < minutes * 12; i++)
            _time.Advance(TimeSpan.FromSeconds(5));
    }

    static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    static string Normalized(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Navigation does not render the component, so the address is polled rather than awaited on renders.</summary>
    async Task EventuallyAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
            await Task.Delay(100);
        Assert.True(condition(), $"Still at {CurrentUri}");
    }

    /// <summary>The page's answer to "leave for the login page": true when it goes, false when it is already leaving.</summary>
    JSRuntimeInvocationHandler<bool> PageLeaves(bool goes)
    {
        var leave = JSInterop.Setup<bool>("mediconnectLeave", _ => true);
        leave.SetResult(goes);
        return leave;
    }

    string CurrentUri => Services.GetRequiredService<NavigationManager>().Uri;

    [Fact]
    public async Task AWarningAppearsOneMinuteBeforeTheIdleEndAndStayingSignedInMovesTheEndOn()
    {
        var (dialogs, _, sid) = await SignedInPageAsync("emily.johnson@mediconnect.demo");

        AdvanceMinutes(13);
        Assert.DoesNotContain("Are you still there?", dialogs.Markup);
        AdvanceMinutes(1);

        await dialogs.WaitForAssertionAsync(() => Assert.Contains("signed out in 60 seconds", Normalized(dialogs.Find("#idle-warning").TextContent)), Wait);
        // Screen readers hear the warning once, from an alert region, not the countdown every second.
        var announcement = dialogs.Find("#idle-warning-announcement");
        Assert.Equal("alert", announcement.GetAttribute("role"));
        Assert.Contains("about to end because of inactivity", announcement.TextContent);
        await dialogs.FindAll("button").Single(b => b.TextContent.Contains("Stay signed in")).ClickAsync(new());
        await dialogs.WaitForAssertionAsync(() => Assert.DoesNotContain("Are you still there?", dialogs.Markup), Wait);
        Assert.Equal(_time.GetUtcNow().UtcDateTime.AddMinutes(15), (await _sessions.EndsAtAsync(sid))!.Value, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task WithoutActivityThePageLeavesForTheLoginPageWhenTheSessionEnds()
    {
        var leave = PageLeaves(true);
        var (_, _, sid) = await SignedInPageAsync("michael.brown@mediconnect.demo");

        AdvanceMinutes(15);

        await EventuallyAsync(() => leave.Invocations.Count == 1);
        Assert.StartsWith("account/login?reason=idle", (string)leave.Invocations.Single().Arguments[0]!);
        Assert.Null(await _sessions.EndsAtAsync(sid));
    }

    [Fact]
    public async Task ARevokedSessionSendsTheOpenPageToTheLoginPage()
    {
        var leave = PageLeaves(true);
        var (_, _, sid) = await SignedInPageAsync("maria.rodriguez@mediconnect.demo");
        await _database.DataSource.ExecuteAsync("DELETE FROM sessions WHERE sid = @sid", new { sid });

        AdvanceMinutes(1);

        await EventuallyAsync(() => leave.Invocations.Count == 1);
        Assert.StartsWith("account/login?reason=ended", (string)leave.Invocations.Single().Arguments[0]!);
    }

    [Fact]
    public async Task ASessionEndedElsewhereSendsTheOpenPageToTheLoginPageAtOnce()
    {
        var leave = PageLeaves(true);
        var (_, _, sid) = await SignedInPageAsync("david.wilson@mediconnect.demo");
        await _database.DataSource.ExecuteAsync("DELETE FROM sessions WHERE sid = @sid", new { sid });

        // No time passes, so no timer re-reads the session: only the event can send the page away.
        Services.GetRequiredService<LiveEventHub>().Publish(new LiveEvent("sessions", "delete") { UserId = _user.User!.Id });

        await EventuallyAsync(() => leave.Invocations.Count == 1);
        Assert.StartsWith("account/login?reason=ended&returnUrl=", (string)leave.Invocations.Single().Arguments[0]!);
    }

    [Fact]
    public async Task APageAlreadyLeavingIsNotOvertakenByTheEndOfItsOwnSession()
    {
        // The user has just submitted "Sign out": the page declines to go elsewhere, the form's own navigation wins.
        var leave = PageLeaves(false);
        var (_, _, sid) = await SignedInPageAsync("sophia.nguyen@mediconnect.demo");
        await _database.DataSource.ExecuteAsync("DELETE FROM sessions WHERE sid = @sid", new { sid });

        Services.GetRequiredService<LiveEventHub>().Publish(new LiveEvent("sessions", "delete") { UserId = _user.User!.Id });
        await EventuallyAsync(() => leave.Invocations.Count == 1);

        Assert.DoesNotContain("account/login", CurrentUri);
        // Had the page stayed after all (a download: the page stops counting itself as leaving), a later check sends it away.
        var later = PageLeaves(true);
        AdvanceMinutes(1);
        await EventuallyAsync(() => later.Invocations.Count == 1);
        Assert.StartsWith("account/login?reason=ended", (string)later.Invocations.Single().Arguments[0]!);
    }
}
