using System.Diagnostics;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Account;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace MediConnect.Portal.Tests.Features.Account;

public sealed class SignInServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    static readonly ClientInfo Client = new("203.0.113.7", "Tests/1.0");
    static readonly ClientInfo Elsewhere = new("198.51.100.23", "Tests/1.0");
    readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    SignInService Service(SignInSettings? settings = null) =>
        new(database.DataSource, new PasswordHasher(), settings ?? Demo.PasswordOnly, _time, NullLogger<SignInService>.Instance);

    Task<DateTime?> LockedUntilAsync(string email, ClientInfo client) => database.DataSource.QueryOneAsync<DateTime?>(
        "SELECT locked_until FROM sign_in_failures WHERE email_key = @email AND client_key = @client", new { email, client = client.IpAddress });

    sealed record LoginState(int FailedLoginAttempts, DateTime? LockedUntil, DateTime? LastLogin, string Password);

    async Task<LoginState> StateAsync(string email) => (await database.DataSource.QueryOneAsync<LoginState>(
        "SELECT failed_login_attempts, locked_until, last_login, password FROM users WHERE email = @email", new { email }))!;

    Task<IReadOnlyList<string>> AuditActionsAsync(int userId) => database.DataSource.QueryListAsync<string>(
        "SELECT action FROM audit_log WHERE user_id = @userId ORDER BY id", new { userId });

    [Theory]
    [InlineData(SignIn.AdminEmail, SignIn.AdminPassword, Roles.Admin, "Alex Admin")]
    [InlineData(SignIn.DoctorEmail, SignIn.DoctorPassword, Roles.Doctor, "Dr. Sarah Smith")]
    [InlineData(SignIn.PatientEmail, SignIn.PatientPassword, Roles.Patient, "John Doe")]
    public async Task EachDemoAccountSignsInWithItsRole(string email, string password, string role, string name)
    {
        var result = await Service().SignInAsync(email, password, Client);

        Assert.True(result.Succeeded);
        Assert.Equal(role, result.User!.Role);
        Assert.Equal(name, result.User.Name);
        Assert.Equal(await database.UserIdAsync(email), result.User.Id);
        Assert.False(string.IsNullOrEmpty(result.User.SessionId));
    }

    [Fact]
    public async Task SignInIsCaseInsensitiveOnTheEmailAndRecordsLastLoginAndAnAuditRowWithTheClient()
    {
        var email = "emily.johnson@mediconnect.demo";
        var id = await database.UserIdAsync(email);

        var result = await Service().SignInAsync("  Emily.Johnson@MediConnect.demo ", SignIn.PatientPassword, Client);

        Assert.True(result.Succeeded);
        var state = await StateAsync(email);
        Assert.Equal(_time.GetUtcNow().UtcDateTime, state.LastLogin!.Value, TimeSpan.FromMilliseconds(1));
        var row = await database.DataSource.QueryOneAsync<(string, string, string)>(
            "SELECT action, ip_address, user_agent FROM audit_log WHERE user_id = @id ORDER BY id DESC LIMIT 1", new { id });
        Assert.Equal(("sign_in", "203.0.113.7", "Tests/1.0"), row);
    }

    [Fact]
    public async Task WrongPasswordSaysInvalidEmailOrPasswordAndCountsTheFailure()
    {
        var email = "michael.brown@mediconnect.demo";

        var result = await Service().SignInAsync(email, "Demo2024!Wrong", Client);

        Assert.Equal(SignInOutcome.InvalidCredentials, result.Outcome);
        Assert.Equal("Invalid email or password.", result.Message);
        Assert.Equal(1, (await StateAsync(email)).FailedLoginAttempts);
        Assert.Equal(["sign_in_failed"], await AuditActionsAsync(await database.UserIdAsync(email)));
    }

    [Fact]
    public async Task UnknownEmailGetsTheSameMessageAndTakesAboutAsLongAsAWrongPassword()
    {
        var service = Service();
        await service.SignInAsync("nobody@mediconnect.demo", "warm-up", Client); // builds the dummy hash once

        var unknown = new List<TimeSpan>();
        var wrong = new List<TimeSpan>();
        SignInResult? unknownResult = null;
        for (var i = 0; i < 3; i++)
        {
            var watch = Stopwatch.StartNew();
            unknownResult = await service.SignInAsync($"nobody{i}@mediconnect.demo", "Demo2024!Wrong", Client);
            unknown.Add(watch.Elapsed);
            watch.Restart();
            await service.SignInAsync("maria.rodriguez@mediconnect.demo", "Demo2024!Wrong", Client);
            wrong.Add(watch.Elapsed);
        }

        Assert.Equal("Invalid email or password.", unknownResult!.Message);
        // Without the dummy verification an unknown email answers in about 1% of BCrypt's time.
        var ratio = Median(unknown) / Median(wrong);
        Assert.True(ratio > 0.4, $"An unknown email took {ratio:P0} of a wrong password's time: emails can be enumerated by timing.");
        var audit = await database.DataSource.QueryOneAsync<string>(
            "SELECT new_values->>'reason' FROM audit_log WHERE action = 'sign_in_failed' AND user_id IS NULL ORDER BY id DESC LIMIT 1");
        Assert.Equal("unknown_email", audit);
    }

    [Fact]
    public async Task TheFifthFailureLocksTheAccountForFifteenMinutesEvenAgainstTheRightPassword()
    {
        var email = "david.wilson@mediconnect.demo";
        var service = Service();
        for (var i = 1; i <= 4; i++)
            Assert.Equal(SignInOutcome.InvalidCredentials, (await service.SignInAsync(email, "wrong-" + i, Client)).Outcome);

        var fifth = await service.SignInAsync(email, "wrong-5", Client);
        var withRightPassword = await service.SignInAsync(email, SignIn.PatientPassword, Client);

        Assert.Equal(SignInOutcome.LockedOut, fifth.Outcome);
        Assert.Contains("locked", fifth.Message);
        Assert.Contains("15 minutes", fifth.Message);
        Assert.Equal(SignInOutcome.LockedOut, withRightPassword.Outcome);
        Assert.Equal(5, (await StateAsync(email)).FailedLoginAttempts);
        Assert.Equal(_time.GetUtcNow().UtcDateTime.AddMinutes(15), (await LockedUntilAsync(email, Client))!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Contains("account_locked", await AuditActionsAsync(await database.UserIdAsync(email)));
    }

    [Fact]
    public async Task TheLockIsReleasedAfterFifteenMinutes()
    {
        var email = "sophia.nguyen@mediconnect.demo";
        var service = Service();
        for (var i = 1; i <= 5; i++)
            await service.SignInAsync(email, "wrong-" + i, Client);

        _time.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(SignInOutcome.LockedOut, (await service.SignInAsync(email, SignIn.PatientPassword, Client)).Outcome);
        _time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        var result = await service.SignInAsync(email, SignIn.PatientPassword, Client);

        Assert.True(result.Succeeded);
        var state = await StateAsync(email);
        Assert.Equal(0, state.FailedLoginAttempts);
        Assert.Null(state.LockedUntil);
    }

    [Fact]
    public async Task ConcurrentFailuresAreEachCounted()
    {
        var email = "james.taylor@mediconnect.demo";
        var service = Service();

        await Task.WhenAll(Enumerable.Range(1, 5).Select(i => Task.Run(() => service.SignInAsync(email, "wrong-" + i, Client))));

        Assert.Equal(5, (await StateAsync(email)).FailedLoginAttempts);
        Assert.NotNull(await LockedUntilAsync(email, Client));
        Assert.Single(await AuditActionsAsync(await database.UserIdAsync(email)), a => a == "account_locked");
    }

    [Fact]
    public async Task ADeactivatedUserCannotSignIn()
    {
        var result = await Service().SignInAsync("linda.martinez@mediconnect.demo", SignIn.PatientPassword, Client);

        Assert.Equal(SignInOutcome.Deactivated, result.Outcome);
        Assert.Contains("deactivated", result.Message);
        Assert.Null(result.User);
    }

    [Fact]
    public async Task AWrongPasswordForADeactivatedUserDoesNotSayTheAccountExists()
    {
        var result = await Service().SignInAsync("linda.martinez@mediconnect.demo", "Demo2024!Wrong", Client);

        Assert.Equal("Invalid email or password.", result.Message);
    }

    [Fact]
    public async Task AHashWithWorkFactor10IsUpgradedTo12AtSignIn()
    {
        var email = "aisha.khan@mediconnect.demo";
        await database.DataSource.ExecuteAsync("UPDATE users SET password = @hash WHERE email = @email",
            new { email, hash = BCrypt.Net.BCrypt.HashPassword(SignIn.PatientPassword, 10) });

        var result = await Service().SignInAsync(email, SignIn.PatientPassword, Client);

        Assert.True(result.Succeeded);
        var hash = (await StateAsync(email)).Password;
        Assert.StartsWith("$2a$12$", hash);
        Assert.True(BCrypt.Net.BCrypt.Verify(SignIn.PatientPassword, hash));
        Assert.True((await Service().SignInAsync(email, SignIn.PatientPassword, Client)).Succeeded);
    }

    [Fact]
    public async Task AnUnknownEmailLocksAfterTheSameFailuresWithTheSameMessagesAsAKnownOne()
    {
        var service = Service();
        var known = new List<string?>();
        var unknown = new List<string?>();
        for (var i = 1; i <= 7; i++)
        {
            known.Add((await service.SignInAsync("noah.kim@mediconnect.demo", "wrong-" + i, Client)).Message);
            unknown.Add((await service.SignInAsync("noah.kimm@mediconnect.demo", "wrong-" + i, Client)).Message);
        }

        Assert.Equal(known, unknown);
        Assert.Equal("Invalid email or password.", unknown[3]);
        Assert.Contains("locked", unknown[4]);
        Assert.Contains("locked", unknown[6]);
        var audit = await database.DataSource.QueryOneAsync<string>(
            "SELECT new_values->>'reason' FROM audit_log WHERE action = 'sign_in_failed' AND new_values->>'email' = 'noah.kimm@mediconnect.demo' ORDER BY id DESC LIMIT 1");
        Assert.Equal("locked", audit);
    }

    [Fact]
    public async Task FailuresFromOneAddressLockTheAccountForThatAddressOnly()
    {
        var email = "robert.miller@mediconnect.demo";
        var service = Service();
        for (var i = 1; i <= 5; i++)
            await service.SignInAsync(email, "wrong-" + i, Elsewhere);

        Assert.Equal(SignInOutcome.LockedOut, (await service.SignInAsync(email, SignIn.PatientPassword, Elsewhere)).Outcome);
        var atTheClinic = await service.SignInAsync(email, SignIn.PatientPassword, Client);

        Assert.True(atTheClinic.Succeeded);
        Assert.Equal(SignInOutcome.LockedOut, (await service.SignInAsync(email, SignIn.PatientPassword, Elsewhere)).Outcome);
    }

    [Theory]
    [InlineData("dr.chen@mediconnect.demo")]
    [InlineData("dr.chen.nobody@mediconnect.demo")]
    public async Task FailuresFromManyAddressesReachTheAccountWideCeilingForKnownAndUnknownEmails(string email)
    {
        var service = Service(Demo.PasswordOnly with { AccountMaxFailedAttempts = 8 });
        for (var i = 1; i <= 4; i++)
            Assert.Equal(SignInOutcome.InvalidCredentials, (await service.SignInAsync(email, "wrong-" + i, new($"192.0.2.{i}", "Tests/1.0"))).Outcome);
        for (var i = 1; i <= 3; i++)
            await service.SignInAsync(email, "wrong-" + i, new($"192.0.2.{10 + i}", "Tests/1.0"));

        var eighth = await service.SignInAsync(email, "wrong-8", new("192.0.2.99", "Tests/1.0"));
        var fromANewAddress = await service.SignInAsync(email, SignIn.DoctorPassword, new("192.0.2.100", "Tests/1.0"));

        Assert.Equal(SignInOutcome.LockedOut, eighth.Outcome);
        Assert.Equal(SignInOutcome.LockedOut, fromANewAddress.Outcome);
        _time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        Assert.NotEqual(SignInOutcome.LockedOut, (await service.SignInAsync(email, SignIn.DoctorPassword, new("192.0.2.100", "Tests/1.0"))).Outcome);
    }

    [Fact]
    public async Task OneAddressAloneNeverReachesTheAccountWideCeiling()
    {
        var email = "dr.patel@mediconnect.demo";
        var service = Service(Demo.PasswordOnly with { AccountMaxFailedAttempts = 8 });
        for (var round = 0; round < 3; round++)
        {
            for (var i = 1; i <= 5; i++)
                await service.SignInAsync(email, "wrong-" + i, Elsewhere);
            _time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        }

        Assert.True((await service.SignInAsync(email, SignIn.DoctorPassword, Client)).Succeeded);
    }

    [Theory]
    [InlineData("john.doe@mediconnect.demo\0")]
    [InlineData("\0")]
    [InlineData("john.doe\u202E@mediconnect.demo")]
    [InlineData("john.doe@mediconnect.demo\u0007")]
    public async Task AMalformedEmailSaysInvalidEmailOrPasswordAndCountsNothing(string escaped)
    {
        var email = System.Text.RegularExpressions.Regex.Unescape(escaped);

        var result = await Service().SignInAsync(email, "wrong", Client);

        Assert.Equal("Invalid email or password.", result.Message);
        Assert.Equal(0, await database.DataSource.QueryOneAsync<int>("SELECT count(*) FROM sign_in_failures WHERE email_key LIKE 'john.doe%'"));
    }

    [Fact]
    public async Task AnOverLongEmailSaysInvalidEmailOrPassword()
    {
        var result = await Service().SignInAsync(new string('a', 100_000) + "@mediconnect.demo", "wrong", Client);

        Assert.Equal("Invalid email or password.", result.Message);
    }

    static double Median(List<TimeSpan> values) => values.Order().ElementAt(values.Count / 2).TotalMilliseconds;
}
