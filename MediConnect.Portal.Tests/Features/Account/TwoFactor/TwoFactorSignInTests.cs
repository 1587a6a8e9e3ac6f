using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Account;
using MediConnect.Portal.Features.Account.TwoFactor;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace MediConnect.Portal.Tests.Features.Account.TwoFactor;

/// <summary>The second step of signing in, against the real tables and key ring, on a clock the tests move.</summary>
public sealed class TwoFactorSignInTests(TestDatabase database) : IClassFixture<TestDatabase>, IDisposable
{
    static readonly ClientInfo Client = new("203.0.113.9", "Tests/2.0");
    readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    readonly ServiceProvider _keys = KeyRing.Over(database);

    SignInSettings Settings { get; set; } = new();

    SignInService SignIn() => new(database.DataSource, new PasswordHasher(), Settings, _time, NullLogger<SignInService>.Instance);

    TwoFactorStore Store() => new(database.DataSource, _keys.GetRequiredService<IDataProtectionProvider>(), _time, NullLogger<TwoFactorStore>.Instance);

    TwoFactorSignIn SecondStep() => new(SignIn(), Store(), NullLogger<TwoFactorSignIn>.Instance);

    string Code(string secret, TimeSpan? phoneOffset = null) => Authenticator.CodeAt(secret, _time.GetUtcNow() + (phoneOffset ?? TimeSpan.Zero));

    Task<IReadOnlyList<string>> AuditActionsAsync(int userId) => database.DataSource.QueryListAsync<string>(
        "SELECT action FROM audit_log WHERE user_id = @userId ORDER BY id", new { userId });

    Task<int> FailedAttemptsAsync(int userId) => database.DataSource.QueryOneAsync<int>("SELECT failed_login_attempts FROM users WHERE id = @userId", new { userId });

    /// <summary>Signs <paramref name="email"/> in with the password, sets up an authenticator and returns its secret and recovery codes.</summary>
    async Task<(int UserId, string Secret, IReadOnlyList<string> RecoveryCodes)> EnrolAsync(string email, string password)
    {
        var first = await SignIn().SignInAsync(email, password, Client);
        Assert.Equal(SignInOutcome.EnrolmentRequired, first.Outcome);
        var (setup, _) = await SecondStep().BeginEnrolmentAsync(first.User!.Id, Client);
        var enrolled = await SecondStep().ConfirmEnrolmentAsync(first.User.Id, Code(setup!.Secret), Client);
        Assert.True(enrolled.SignIn.Succeeded, enrolled.SignIn.Message);
        _time.Advance(TimeSpan.FromSeconds(30)); // the next sign-in needs the next code: the set-up used this one
        return (first.User.Id, setup.Secret, enrolled.RecoveryCodes);
    }

    [Fact]
    public async Task ADoctorWithoutAnAuthenticatorSetsOneUpBeforeBeingSignedIn()
    {
        var doctor = await database.UserIdAsync(Demo.Smith);

        var password = await SignIn().SignInAsync(Demo.Smith, Fixtures.SignIn.DoctorPassword, Client);

        Assert.Equal(SignInOutcome.EnrolmentRequired, password.Outcome);
        Assert.Null(password.User!.SessionId); // nobody is signed in yet
        Assert.DoesNotContain("sign_in", await AuditActionsAsync(doctor));
        var (setup, _) = await SecondStep().BeginEnrolmentAsync(doctor, Client);
        var (again, _) = await SecondStep().BeginEnrolmentAsync(doctor, Client);
        Assert.Equal(setup!.Secret, again!.Secret); // reloading the page keeps the QR code already scanned
        var stored = await database.DataSource.QueryOneAsync<string>("SELECT secret_protected FROM user_two_factor WHERE user_id = @doctor", new { doctor });
        Assert.DoesNotContain(setup.Secret, stored!);

        var wrong = await SecondStep().ConfirmEnrolmentAsync(doctor, "000000" == Code(setup.Secret) ? "111111" : "000000", Client);
        Assert.Equal(SignInOutcome.EnrolmentRequired, wrong.SignIn.Outcome);
        Assert.Contains("not correct", wrong.SignIn.Message);
        Assert.Equal(0, await FailedAttemptsAsync(doctor)); // a slip while setting up is not a guess

        var enrolled = await SecondStep().ConfirmEnrolmentAsync(doctor, Code(setup.Secret), Client);

        Assert.True(enrolled.SignIn.Succeeded);
        Assert.Equal("totp", enrolled.SignIn.User!.SecondFactor);
        Assert.NotNull(enrolled.SignIn.User.SessionId);
        Assert.Equal(10, enrolled.RecoveryCodes.Count);
        Assert.Equal(10, await database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM two_factor_recovery_codes WHERE user_id = @doctor AND used_at IS NULL", new { doctor }));
        Assert.Equal(["two_factor_enrolled", "sign_in"], (await AuditActionsAsync(doctor)).TakeLast(2));
        Assert.Equal("totp", await database.DataSource.QueryOneAsync<string>(
            "SELECT new_values->>'secondFactor' FROM audit_log WHERE user_id = @doctor AND action = 'sign_in'", new { doctor }));
    }

    [Fact]
    public async Task AnEnrolledUserSignsInWithTheCodeAndTheSameCodeIsRefusedTheSecondTime()
    {
        var (admin, secret, _) = await EnrolAsync(Demo.Admin, Fixtures.SignIn.AdminPassword);

        var password = await SignIn().SignInAsync(Demo.Admin, Fixtures.SignIn.AdminPassword, Client);
        Assert.Equal(SignInOutcome.SecondFactorRequired, password.Outcome);
        var code = Code(secret);
        var signedIn = await SecondStep().VerifyAsync(admin, code, Client);
        Assert.True(signedIn.Succeeded);
        Assert.Equal(0, await FailedAttemptsAsync(admin));

        var replay = await SecondStep().VerifyAsync(admin, code, Client);

        Assert.False(replay.Succeeded);
        Assert.Contains("already used", replay.Message);
        Assert.Equal(1, await FailedAttemptsAsync(admin)); // a replay counts like any wrong code
        var previous = await SecondStep().VerifyAsync(admin, Code(secret, TimeSpan.FromSeconds(-30)), Client);
        Assert.False(previous.Succeeded); // nor does an earlier code work after a later one
    }

    [Fact]
    public async Task APhoneOneStepFastOrSlowIsAcceptedAndTwoStepsIsNot()
    {
        var (doctor, secret, _) = await EnrolAsync(Demo.Patel, Fixtures.SignIn.DoctorPassword);

        Assert.True((await SecondStep().VerifyAsync(doctor, Code(secret, TimeSpan.FromSeconds(-60)), Client)).Succeeded is false);
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.True((await SecondStep().VerifyAsync(doctor, Code(secret, TimeSpan.FromSeconds(-30)), Client)).Succeeded);
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.True((await SecondStep().VerifyAsync(doctor, Code(secret, TimeSpan.FromSeconds(30)), Client)).Succeeded);
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.False((await SecondStep().VerifyAsync(doctor, Code(secret, TimeSpan.FromSeconds(90)), Client)).Succeeded);
    }

    [Fact]
    public async Task ARecoveryCodeSignsInOnceAndIsAudited()
    {
        var (doctor, _, codes) = await EnrolAsync(Demo.Chen, Fixtures.SignIn.DoctorPassword);

        var signedIn = await SecondStep().VerifyAsync(doctor, codes[3].ToUpperInvariant(), Client);

        Assert.True(signedIn.Succeeded);
        Assert.Equal("recovery_code", signedIn.User!.SecondFactor);
        Assert.Equal("9", await database.DataSource.QueryOneAsync<string>(
            "SELECT new_values->>'recoveryCodesLeft' FROM audit_log WHERE user_id = @doctor AND action = 'recovery_code_used'", new { doctor }));
        var again = await SecondStep().VerifyAsync(doctor, codes[3], Client);
        Assert.False(again.Succeeded);
        Assert.Equal(1, await FailedAttemptsAsync(doctor));
        Assert.True((await SecondStep().VerifyAsync(doctor, codes[4], Client)).Succeeded);
    }

    [Fact]
    public async Task WrongCodesCountTowardsTheLockoutAndThenEvenTheRightCodeIsRefused()
    {
        var (doctor, secret, _) = await EnrolAsync(Demo.Okafor, Fixtures.SignIn.DoctorPassword);
        Assert.Equal(SignInOutcome.SecondFactorRequired, (await SignIn().SignInAsync(Demo.Okafor, Fixtures.SignIn.DoctorPassword, Client)).Outcome);
        var wrong = Code(secret) == "123456" ? "654321" : "123456";

        var results = new List<SignInResult>();
        for (var i = 0; i < 5; i++)
            results.Add(await SecondStep().VerifyAsync(doctor, wrong, Client));

        Assert.All(results.Take(4), r => Assert.Equal(SignInOutcome.InvalidCredentials, r.Outcome));
        Assert.Equal(SignInOutcome.LockedOut, results[4].Outcome);
        Assert.Equal(SignInOutcome.LockedOut, (await SecondStep().VerifyAsync(doctor, Code(secret), Client)).Outcome);
        Assert.Equal(5, await database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM audit_log WHERE user_id = @doctor AND action = 'sign_in_failed' AND new_values->>'reason' = 'wrong_code'", new { doctor }));
        Assert.Contains("account_locked", await AuditActionsAsync(doctor));

        _time.Advance(TimeSpan.FromMinutes(16));
        Assert.True((await SecondStep().VerifyAsync(doctor, Code(secret), Client)).Succeeded);
    }

    [Fact]
    public async Task OnlyTheRolesInRequire2faForMustEnrolAndAnyEnrolledUserGivesACode()
    {
        Settings = new SignInSettings { RequireTwoFactorFor = new HashSet<string> { Roles.Admin } };
        var admin = await database.NewUserAsync(Roles.Admin);

        Assert.Equal(SignInOutcome.SignedIn, (await SignIn().SignInAsync("dr.garcia@mediconnect.demo", Fixtures.SignIn.DoctorPassword, Client)).Outcome);
        Assert.Equal(SignInOutcome.SignedIn, (await SignIn().SignInAsync(Demo.Michael, Fixtures.SignIn.PatientPassword, Client)).Outcome);
        Assert.Equal(SignInOutcome.EnrolmentRequired, (await SignIn().SignInAsync(admin, Fixtures.SignIn.AdminPassword, Client)).Outcome);

        // A patient who set up an authenticator of their own accord gives a code too.
        var michael = await database.UserIdAsync(Demo.Michael);
        var store = Store();
        var setup = await store.BeginSetupAsync(michael, Demo.Michael);
        Assert.NotNull(await store.ConfirmSetupAsync(michael, Code(setup!.Secret), new AuditEntry(michael, "two_factor_enrolled")));
        Assert.Equal(SignInOutcome.SecondFactorRequired, (await SignIn().SignInAsync(Demo.Michael, Fixtures.SignIn.PatientPassword, Client)).Outcome);
    }

    [Fact]
    public async Task ASecretWhoseKeyIsGoneIsReportedAndARecoveryCodeStillWorks()
    {
        var (doctor, secret, codes) = await EnrolAsync(await database.NewUserAsync(Roles.Doctor), Fixtures.SignIn.DoctorPassword);
        using var otherKeys = new ServiceCollection().AddDataProtection().Services.BuildServiceProvider();
        var foreign = otherKeys.GetRequiredService<IDataProtectionProvider>().CreateProtector("MediConnect.TwoFactor.Secret.v1").Protect(secret);
        await database.DataSource.ExecuteAsync("UPDATE user_two_factor SET secret_protected = @foreign WHERE user_id = @doctor", new { foreign, doctor });

        var result = await SecondStep().VerifyAsync(doctor, Code(secret), Client);

        Assert.False(result.Succeeded);
        Assert.Contains("recovery code", result.Message);
        Assert.Equal(0, await FailedAttemptsAsync(doctor));
        Assert.True((await SecondStep().VerifyAsync(doctor, codes[0], Client)).Succeeded);
    }

    public void Dispose() => _keys.Dispose();
}
