using System.Security.Claims;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Account;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediConnect.Portal.Tests.Features.Account;

public sealed class PasswordChangeServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    const string NewPassword = "Violet-Harbour-42";

    PasswordChangeService Service(TestCurrentUser user) =>
        new(database.DataSource, user, new AuditLog(user), new PasswordHasher(), NullLogger<PasswordChangeService>.Instance);

    async Task<(TestCurrentUser User, string CurrentSid, string OtherSid)> SignedInTwiceAsync(string email)
    {
        var user = await database.SignedInAsync(email);
        var store = new SessionStore(database.DataSource, new SignInSettings(), TimeProvider.System);
        var sids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var session = user.User! with { SessionId = SessionKey.New() };
            var ticket = new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(CurrentUser.ClaimsFor(session), "Cookies")), "Cookies");
            sids.Add(await store.StoreAsync(ticket));
        }
        user.User = user.User! with { SessionId = sids[0] };
        return (user, sids[0], sids[1]);
    }

    Task<long> SessionRowsAsync(string sid) => database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM sessions WHERE sid = @sid", new { sid });

    [Fact]
    public async Task ChangingThePasswordEndsTheOtherSessionsWhenAskedAndIsAudited()
    {
        var email = "emily.johnson@mediconnect.demo";
        var (user, current, other) = await SignedInTwiceAsync(email);

        var result = await Service(user).ChangeAsync(new PasswordChange(SignIn.PatientPassword, NewPassword, NewPassword, SignOutOtherSessions: true));

        Assert.True(result.Succeeded);
        Assert.Equal(1, result.OtherSessionsEnded);
        Assert.Equal(1, await SessionRowsAsync(current));
        Assert.Equal(0, await SessionRowsAsync(other));
        var hash = await database.DataSource.QueryOneAsync<string>("SELECT password FROM users WHERE email = @email", new { email });
        Assert.StartsWith("$2a$12$", hash);
        Assert.True(BCrypt.Net.BCrypt.Verify(NewPassword, hash));
        var actions = await database.DataSource.QueryListAsync<string>(
            "SELECT action FROM audit_log WHERE user_id = @id ORDER BY id", new { id = user.User!.Id });
        Assert.Equal(["password_changed", "session_revoked"], actions);
        var audited = await database.DataSource.QueryOneAsync<string>(
            "SELECT new_values::text FROM audit_log WHERE user_id = @id AND action = 'password_changed'", new { id = user.User.Id });
        Assert.DoesNotContain(NewPassword, audited);
        Assert.DoesNotContain("$2", audited);
    }

    [Fact]
    public async Task OtherSessionsStayWhenTheUserSaysSo()
    {
        var (user, _, other) = await SignedInTwiceAsync("michael.brown@mediconnect.demo");

        var result = await Service(user).ChangeAsync(new PasswordChange(SignIn.PatientPassword, NewPassword, NewPassword, SignOutOtherSessions: false));

        Assert.True(result.Succeeded);
        Assert.Equal(1, await SessionRowsAsync(other));
    }

    [Fact]
    public async Task AWrongCurrentPasswordChangesNothing()
    {
        var email = "maria.rodriguez@mediconnect.demo";
        var user = await database.SignedInAsync(email);

        var result = await Service(user).ChangeAsync(new PasswordChange("Demo2024!Wrong", NewPassword, NewPassword, true));

        Assert.Equal("Your current password is not correct.", result.Errors[nameof(PasswordChange.CurrentPassword)]);
        var hash = await database.DataSource.QueryOneAsync<string>("SELECT password FROM users WHERE email = @email", new { email });
        Assert.True(BCrypt.Net.BCrypt.Verify(SignIn.PatientPassword, hash));
    }

    [Theory]
    [InlineData("short-1", "at least 10 characters")]
    [InlineData("david.wilson@mediconnect.demo", "email address")]
    [InlineData("DAVID.WILSON", "email address")]
    [InlineData("Password123", "too common")]
    [InlineData("aaaaaaaaaaaaaa", "too common")]
    public async Task ANewPasswordMustFollowThePolicy(string newPassword, string message)
    {
        var user = await database.SignedInAsync("david.wilson@mediconnect.demo");

        var result = await Service(user).ChangeAsync(new PasswordChange(SignIn.PatientPassword, newPassword, newPassword, true));

        Assert.Contains(message, result.Errors[nameof(PasswordChange.NewPassword)]);
    }

    [Fact]
    public async Task ANewPasswordOfMoreThan72BytesIsRefusedBecauseBcryptWouldIgnoreTheRest()
    {
        var user = await database.SignedInAsync("david.wilson@mediconnect.demo");
        var longPassword = new string('é', 37) + "x1"; // 39 characters, 76 bytes

        var result = await Service(user).ChangeAsync(new PasswordChange(SignIn.PatientPassword, longPassword, longPassword, true));

        Assert.Contains("at most 72 bytes", result.Errors[nameof(PasswordChange.NewPassword)]);
    }

    [Fact]
    public async Task TheTwoNewPasswordsMustMatchAndNobodySignedInIsRefused()
    {
        var user = await database.SignedInAsync("david.wilson@mediconnect.demo");

        var mismatch = await Service(user).ChangeAsync(new PasswordChange(SignIn.PatientPassword, NewPassword, NewPassword + "!", true));

        Assert.Equal("The two new passwords do not match.", mismatch.Errors[nameof(PasswordChange.ConfirmPassword)]);
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            Service(new TestCurrentUser(null)).ChangeAsync(new PasswordChange("x", NewPassword, NewPassword, true)));
    }
}
