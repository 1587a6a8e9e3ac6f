using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Admin.Users;
using MediConnect.Portal.Features.Shared.Lists;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;

namespace MediConnect.Portal.Tests.Features.Admin.Users;

/// <summary>User management rules against real PostgreSQL; each test has a database of its own (some change the admins).</summary>
public sealed class UserAdminServiceTests : IAsyncDisposable
{
    readonly List<TestDatabase> _databases = [];

    async Task<(TestDatabase Db, UserAdminService Users, TestCurrentUser Admin)> SetUpAsync()
    {
        var database = new TestDatabase();
        await database.InitializeAsync();
        _databases.Add(database);
        var admin = await database.SignedInAsync(SignIn.AdminEmail);
        return (database, Service(database, admin), admin);
    }

    static UserAdminService Service(TestDatabase database, TestCurrentUser user) => new(database.DataSource, user, new AuditLog(user), new PasswordHasher());

    static Task InsertSessionAsync(TestDatabase database, int userId, string sid) =>
        database.DataSource.ExecuteAsync(
            "INSERT INTO sessions (sid, user_id, expires_at) VALUES (@sid, @userId, now() + interval '15 minutes')", new { sid, userId });

    static Task<long> SessionCountAsync(TestDatabase database, int userId) =>
        database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM sessions WHERE user_id = @userId", new { userId });

    [Fact]
    public async Task CreatedDoctorCanBeFoundHasABcryptHashOfWorkFactor12AndAnAuditRowWithoutThePassword()
    {
        var (db, users, _) = await SetUpAsync();

        var id = await users.CreateAsync(new NewUser("  Dr.New@Example.COM ", "Dr. New Doctor", Roles.Doctor, "+1-555-0199", "Neurology", "Correct-Horse-9"));

        var (email, hash, role) = await db.DataSource.QueryOneAsync<(string, string, string)>("SELECT email, password, role FROM users WHERE id = @id", new { id });
        Assert.Equal(("dr.new@example.com", Roles.Doctor), (email, role));
        Assert.StartsWith("$2", hash);
        Assert.Contains("$12$", hash);
        Assert.True(BCrypt.Net.BCrypt.Verify("Correct-Horse-9", hash));
        var audit = await db.DataSource.QueryOneAsync<string>("SELECT new_values::text FROM audit_log WHERE action = 'user_create' AND entity_id = @id", new { id = id.ToString() });
        Assert.Contains("dr.new@example.com", audit);
        Assert.Contains("Neurology", audit);
        Assert.DoesNotContain("Correct-Horse-9", audit);
        Assert.DoesNotContain(hash, audit);
        Assert.DoesNotContain("password", audit, StringComparison.OrdinalIgnoreCase);
        var found = await users.SearchAsync(new UserQuery(Search: "new doctor"));
        Assert.Equal(id, Assert.Single(found.Items).Id);
    }

    [Fact]
    public async Task CreatedPatientGetsAPatientsRowInTheSameTransaction()
    {
        var (db, users, _) = await SetUpAsync();

        var id = await users.CreateAsync(new NewUser("new.patient@example.com", "New Patient", Roles.Patient, null, null, "Patient-Pass-42"));

        Assert.Equal(1, await db.DataSource.QueryOneAsync<long>("SELECT count(*) FROM patients WHERE user_id = @id", new { id }));
    }

    [Fact]
    public async Task EmailMustBeUniqueRegardlessOfCaseAndNothingIsLeftBehind()
    {
        var (db, users, _) = await SetUpAsync();
        var before = await db.DataSource.QueryOneAsync<long>("SELECT count(*) FROM audit_log");

        var error = await Assert.ThrowsAsync<BusinessRuleException>(() =>
            users.CreateAsync(new NewUser("DR.SMITH@mediconnect.demo", "Another Smith", Roles.Doctor, null, null, "Another-Pass-1")));

        Assert.Equal("An account with the email dr.smith@mediconnect.demo already exists.", error.Message);
        Assert.Equal(before, await db.DataSource.QueryOneAsync<long>("SELECT count(*) FROM audit_log"));
    }

    [Theory]
    [InlineData("not-an-email", "Long-Enough-1", "valid email")]
    [InlineData("", "Long-Enough-1", "Enter an email")]
    [InlineData("short@example.com", "Short-1", "at least 10 characters")]
    [InlineData("same@example.com", "SAME@example.com", "email address")]
    [InlineData("common@example.com", "password123", "too common")]
    [InlineData("long@example.com", "ééééééééééééééééééééééééééééééééééééééé", "at most 72 bytes")]
    public async Task InvalidEmailsAndPasswordsGetAClearMessage(string email, string password, string message)
    {
        var (_, users, _) = await SetUpAsync();

        var error = await Assert.ThrowsAsync<BusinessRuleException>(() => users.CreateAsync(new NewUser(email, "Some One", Roles.Doctor, null, null, password)));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task AnAdminCannotDeactivateOrDemoteThemselves()
    {
        var (db, users, admin) = await SetUpAsync();
        await users.CreateAsync(new NewUser("second.admin@example.com", "Second Admin", Roles.Admin, null, null, "Second-Admin-1"));

        var deactivate = await Assert.ThrowsAsync<BusinessRuleException>(() => users.SetActiveAsync(admin.User!.Id, false));
        var demote = await Assert.ThrowsAsync<BusinessRuleException>(() => users.UpdateAsync(admin.User!.Id, new UserChanges("Alex Admin", Roles.Doctor, null, null)));

        Assert.Contains("your own account", deactivate.Message);
        Assert.Contains("your own admin role", demote.Message);
        Assert.Equal((true, Roles.Admin), await db.DataSource.QueryOneAsync<(bool, string)>("SELECT is_active, role FROM users WHERE id = @Id", new { admin.User!.Id }));
    }

    [Fact]
    public async Task TheLastActiveAdminCannotBeDeactivatedOrDemoted()
    {
        var (db, users, demoAdmin) = await SetUpAsync();
        var secondId = await users.CreateAsync(new NewUser("second.admin@example.com", "Second Admin", Roles.Admin, null, null, "Second-Admin-1"));
        var second = Service(db, await db.SignedInAsync("second.admin@example.com"));
        // The second admin deactivates the demo admin: allowed, one active admin remains.
        await second.SetActiveAsync(demoAdmin.User!.Id, false);

        // The demo admin's still-open page acts on the only active admin left.
        var deactivate = await Assert.ThrowsAsync<BusinessRuleException>(() => users.SetActiveAsync(secondId, false));
        var demote = await Assert.ThrowsAsync<BusinessRuleException>(() => users.UpdateAsync(secondId, new UserChanges("Second Admin", Roles.Patient, null, null)));

        Assert.Contains("last active admin", deactivate.Message);
        Assert.Contains("last active admin", demote.Message);
        Assert.Equal(1, await db.DataSource.QueryOneAsync<long>("SELECT count(*) FROM users WHERE role = 'admin' AND is_active"));
    }

    [Fact]
    public async Task TwoAdminsDeactivatingEachOtherAtOnceLeaveOneActiveAdmin()
    {
        var (db, users, demoAdmin) = await SetUpAsync();
        var secondId = await users.CreateAsync(new NewUser("second.admin@example.com", "Second Admin", Roles.Admin, null, null, "Second-Admin-1"));
        var second = Service(db, await db.SignedInAsync("second.admin@example.com"));

        var attempts = await Task.WhenAll(
            Task.Run(() => Outcome(() => users.SetActiveAsync(secondId, false))),
            Task.Run(() => Outcome(() => second.SetActiveAsync(demoAdmin.User!.Id, false))));

        Assert.Single(attempts, a => a is null);
        Assert.Single(attempts, a => a?.Contains("last active admin") == true);
        Assert.Equal(1, await db.DataSource.QueryOneAsync<long>("SELECT count(*) FROM users WHERE role = 'admin' AND is_active"));
    }

    static async Task<string?> Outcome(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (BusinessRuleException e)
        {
            return e.Message;
        }
    }

    [Fact]
    public async Task DeactivationEndsTheUsersSessionsAtOnceAndReactivationLetsThemBack()
    {
        var (db, users, _) = await SetUpAsync();
        var doctorId = await db.UserIdAsync(SignIn.DoctorEmail);
        var patientId = await db.UserIdAsync(SignIn.PatientEmail);
        await InsertSessionAsync(db, doctorId, "doctor-laptop");
        await InsertSessionAsync(db, doctorId, "doctor-phone");
        await InsertSessionAsync(db, patientId, "patient-phone");

        var ended = await users.SetActiveAsync(doctorId, false);

        Assert.Equal(2, ended);
        Assert.Equal(0, await SessionCountAsync(db, doctorId));
        Assert.Equal(1, await SessionCountAsync(db, patientId));
        Assert.False((await users.GetAsync(doctorId))!.IsActive);
        var audit = await db.DataSource.QueryOneAsync<string>("SELECT new_values::text FROM audit_log WHERE action = 'user_deactivate'");
        Assert.Contains("\"sessionsEnded\": 2", audit);

        await users.SetActiveAsync(doctorId, true);
        Assert.True((await users.GetAsync(doctorId))!.IsActive);
    }

    [Fact]
    public async Task SignOutEverywhereEndsEverySessionOfThatUserOnly()
    {
        var (db, users, _) = await SetUpAsync();
        var patientId = await db.UserIdAsync(SignIn.PatientEmail);
        var doctorId = await db.UserIdAsync(SignIn.DoctorEmail);
        await InsertSessionAsync(db, patientId, "p1");
        await InsertSessionAsync(db, doctorId, "d1");

        Assert.Equal(1, await users.SignOutEverywhereAsync(patientId));
        Assert.Equal(0, await SessionCountAsync(db, patientId));
        Assert.Equal(1, await SessionCountAsync(db, doctorId));
        Assert.True((await users.GetAsync(patientId))!.IsActive);
    }

    [Fact]
    public async Task UnlockClearsTheFailedAttemptsAndTheLock()
    {
        var (db, users, _) = await SetUpAsync();
        var patientId = await db.UserIdAsync(SignIn.PatientEmail);
        await db.DataSource.ExecuteAsync("UPDATE users SET failed_login_attempts = 5, locked_until = now() + interval '15 minutes' WHERE id = @patientId", new { patientId });
        await db.DataSource.ExecuteAsync("""
            INSERT INTO sign_in_failures (email_key, client_key, failures, window_start, locked_until)
            VALUES (@email, '203.0.113.7', 5, now(), now() + interval '15 minutes'), (@email, '*', 5, now(), NULL)
            """, new { email = SignIn.PatientEmail });
        Assert.True((await users.GetAsync(patientId))!.IsLocked(DateTimeOffset.UtcNow));

        await users.UnlockAsync(patientId);

        var user = await users.GetAsync(patientId);
        Assert.Equal((0, null), (user!.FailedLoginAttempts, user.LockedUntil));
        Assert.False(user.IsLocked(DateTimeOffset.UtcNow));
        Assert.Equal(0, await db.DataSource.QueryOneAsync<int>("SELECT count(*) FROM sign_in_failures WHERE email_key = @email", new { email = SignIn.PatientEmail }));
        Assert.Contains("\"failedLoginAttempts\": 5", await db.DataSource.QueryOneAsync<string>("SELECT old_values::text FROM audit_log WHERE action = 'user_unlock'"));
    }

    [Fact]
    public async Task ResetPasswordSetsANewHashThatVerifiesAndIsNotAudited()
    {
        var (db, users, _) = await SetUpAsync();
        var patientId = await db.UserIdAsync(SignIn.PatientEmail);
        var password = AccountRules.GeneratePassword();

        await users.ResetPasswordAsync(patientId, password);
        var tooShort = await Assert.ThrowsAsync<BusinessRuleException>(() => users.ResetPasswordAsync(patientId, "short"));

        var hash = (await db.DataSource.QueryOneAsync<string>("SELECT password FROM users WHERE id = @patientId", new { patientId }))!;
        Assert.True(BCrypt.Net.BCrypt.Verify(password, hash));
        Assert.False(BCrypt.Net.BCrypt.Verify(SignIn.PatientPassword, hash));
        Assert.Contains("at least 10", tooShort.Message);
        var audit = await db.DataSource.QueryOneAsync<string>("SELECT coalesce(old_values::text, '') || coalesce(new_values::text, '') FROM audit_log WHERE action = 'user_password_reset'");
        Assert.DoesNotContain(password, audit);
        Assert.DoesNotContain(hash, audit);
    }

    [Fact]
    public async Task ResettingAPasswordEndsEverySessionOfThatUser()
    {
        var (db, users, _) = await SetUpAsync();
        var patientId = await db.UserIdAsync(SignIn.PatientEmail);
        await InsertSessionAsync(db, patientId, "laptop");
        await InsertSessionAsync(db, patientId, "phone");

        var ended = await users.ResetPasswordAsync(patientId, AccountRules.GeneratePassword());

        Assert.Equal(2, ended);
        Assert.Equal(0, await SessionCountAsync(db, patientId));
        Assert.Equal("2", await db.DataSource.QueryOneAsync<string>("SELECT new_values->>'sessionsEnded' FROM audit_log WHERE action = 'user_password_reset'"));
    }

    [Fact]
    public async Task AnAdminResettingTheirOwnPasswordHereKeepsTheSessionTheyAreUsing()
    {
        var (db, _, admin) = await SetUpAsync();
        await InsertSessionAsync(db, admin.User!.Id, "this-one");
        await InsertSessionAsync(db, admin.User.Id, "elsewhere");
        admin.User = admin.User with { SessionId = "this-one" };

        var ended = await Service(db, admin).ResetPasswordAsync(admin.User.Id, AccountRules.GeneratePassword());

        Assert.Equal(1, ended);
        Assert.Equal(["this-one"], await db.DataSource.QueryListAsync<string>("SELECT sid FROM sessions WHERE user_id = @id", new { id = admin.User.Id }));
    }

    [Fact]
    public async Task ResettingTwoFactorRemovesTheAuthenticatorAndRecoveryCodesEndsTheSessionsAndIsAudited()
    {
        var (db, users, _) = await SetUpAsync();
        var doctorId = await db.UserIdAsync("dr.chen@mediconnect.demo");
        await db.DataSource.ExecuteAsync("""
            INSERT INTO user_two_factor (user_id, secret_protected, confirmed_at) VALUES (@doctorId, 'protected', now());
            INSERT INTO two_factor_recovery_codes (user_id, code_hash) VALUES (@doctorId, repeat('a', 64)), (@doctorId, repeat('b', 64));
            """, new { doctorId });
        await InsertSessionAsync(db, doctorId, "ward-pc");
        var tokenIds = await db.DataSource.QueryListAsync<int>("""
            INSERT INTO api_tokens (user_id, name, token_hash, token_hint, scopes, expires_at)
            VALUES (@doctorId, 'registry export', sha256('one'::bytea), 'mc_one', '{user/*.read}', now() + interval '30 days'),
                   (@doctorId, 'lab sync', sha256('two'::bytea), 'mc_two', '{user/Observation.read}', now() + interval '90 days')
            RETURNING id
            """, new { doctorId });
        Assert.True((await users.GetAsync(doctorId))!.TwoFactorEnrolled);

        var reset = await users.ResetTwoFactorAsync(doctorId);

        Assert.Equal(new TwoFactorReset(SessionsEnded: 1, TokensRevoked: 2), reset);
        Assert.Equal(0, await db.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM api_tokens WHERE user_id = @doctorId AND revoked_at IS NULL", new { doctorId }));
        Assert.Equal(tokenIds.Select(t => t.ToString()).Order(), (await db.DataSource.QueryListAsync<string>(
            "SELECT entity_id FROM audit_log WHERE action = 'api_token_revoked' AND new_values->>'reason' = 'two_factor_reset'")).Order());
        Assert.False((await users.GetAsync(doctorId))!.TwoFactorEnrolled);
        Assert.Equal(0, await db.DataSource.QueryOneAsync<long>(
            "SELECT (SELECT count(*) FROM user_two_factor WHERE user_id = @doctorId) + (SELECT count(*) FROM two_factor_recovery_codes WHERE user_id = @doctorId)", new { doctorId }));
        Assert.Equal(0, await SessionCountAsync(db, doctorId));
        Assert.Equal(doctorId.ToString(), await db.DataSource.QueryOneAsync<string>("SELECT entity_id FROM audit_log WHERE action = 'two_factor_reset'"));
        var again = await Assert.ThrowsAsync<BusinessRuleException>(() => users.ResetTwoFactorAsync(doctorId));
        Assert.Contains("no two-factor", again.Message);
    }

    [Fact]
    public async Task AnAdminCannotResetTheirOwnSecondFactorHereNorCanADoctorResetAnyone()
    {
        var (db, users, admin) = await SetUpAsync();
        var doctor = await db.SignedInAsync("dr.chen@mediconnect.demo");

        var own = await Assert.ThrowsAsync<BusinessRuleException>(() => users.ResetTwoFactorAsync(admin.User!.Id));

        Assert.Contains("account menu", own.Message);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service(db, doctor).ResetTwoFactorAsync(admin.User!.Id));
    }

    [Fact]
    public async Task EditChangesNameRolePhoneAndSpecializationWithOldAndNewValuesAudited()
    {
        var (db, users, _) = await SetUpAsync();
        var doctorId = await db.UserIdAsync("dr.okafor@mediconnect.demo");

        await users.UpdateAsync(doctorId, new UserChanges("Dr. Ngozi Okafor-Bello", Roles.Doctor, "+1-555-0999", "Dermatology and Allergy"));

        var user = await users.GetAsync(doctorId);
        Assert.Equal(("Dr. Ngozi Okafor-Bello", "+1-555-0999", "Dermatology and Allergy"), (user!.Name, user.Phone, user.Specialization));
        var (oldValues, newValues) = await db.DataSource.QueryOneAsync<(string, string)>("SELECT old_values::text, new_values::text FROM audit_log WHERE action = 'user_update'");
        Assert.Contains("Dr. Ngozi Okafor\"", oldValues);
        Assert.Contains("Okafor-Bello", newValues);
    }

    [Fact]
    public async Task ListFiltersByRoleActiveAndSearchAndPagesOnTheServer()
    {
        var (_, users, _) = await SetUpAsync();

        var doctors = await users.SearchAsync(new UserQuery(Role: Roles.Doctor));
        var inactivePatients = await users.SearchAsync(new UserQuery(Role: Roles.Patient, Active: false));
        var firstPage = await users.SearchAsync(new UserQuery(PageSize: 4));
        var secondPage = await users.SearchAsync(new UserQuery(PageSize: 4, Page: 1));
        var byEmail = await users.SearchAsync(new UserQuery(Search: "JOHN.DOE@"));
        var wildcard = await users.SearchAsync(new UserQuery(Search: "%"));

        Assert.Equal(5, doctors.Total);
        Assert.All(doctors.Items, u => Assert.Equal(Roles.Doctor, u.Role));
        Assert.Contains(inactivePatients.Items, u => u.Email == "linda.martinez@mediconnect.demo");
        Assert.All(inactivePatients.Items, u => Assert.False(u.IsActive));
        Assert.Equal(4, firstPage.Items.Count);
        Assert.Equal(firstPage.Total, secondPage.Total);
        Assert.Empty(firstPage.Items.Select(u => u.Id).Intersect(secondPage.Items.Select(u => u.Id)));
        Assert.Equal(SignIn.PatientEmail, Assert.Single(byEmail.Items).Email);
        Assert.Empty(wildcard.Items);
        Assert.False(firstPage.MoreThanTotal);
    }

    [Fact]
    public async Task AClinicChainsUserListSaysMoreThanTenThousandAndASearchStillFindsOnePerson()
    {
        var (db, users, _) = await SetUpAsync();
        await db.DataSource.ExecuteAsync("""
            INSERT INTO users (email, password, role, name)
            SELECT format('chain.patient%s@example.com', i), password, 'patient', format('Chain Patient %s', i)
            FROM users, generate_series(1, @count) AS i WHERE email = @john
            """, new { count = CappedCount.Limit, john = SignIn.PatientEmail });

        var everyone = await users.SearchAsync(new UserQuery());
        var one = await users.SearchAsync(new UserQuery(Search: "chain.patient4321@"));

        Assert.Equal((CappedCount.Limit, true), (everyone.Total, everyone.MoreThanTotal));
        Assert.Equal(20, everyone.Items.Count);
        Assert.Equal(("Chain Patient 4321", 1, false), (Assert.Single(one.Items).Name, one.Total, one.MoreThanTotal));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _databases)
            await database.DisposeAsync();
    }
}
