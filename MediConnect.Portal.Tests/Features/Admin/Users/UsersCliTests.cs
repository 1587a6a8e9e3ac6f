using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Admin.Users;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;

namespace MediConnect.Portal.Tests.Features.Admin.Users;

/// <summary>The first admin of a database without demo data, from the command line.</summary>
public sealed class UsersCliTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    async Task<(int ExitCode, string Output, string Error)> RunAsync(string password, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await UsersCli.RunAsync(args, database.DataSource, new PasswordHasher(), new StringReader(password + "\n"), output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task AddAdminCreatesAnAdminWhosePasswordVerifiesAndAuditsItWithoutThePassword()
    {
        var (exitCode, output, error) = await RunAsync("Clinic-Admin-2026", "users", "add-admin", " First.Admin@Clinic.example ", "First Admin");

        Assert.Equal((0, ""), (exitCode, error));
        Assert.Contains("Created the admin first.admin@clinic.example", output);
        var (role, hash, active) = await database.DataSource.QueryOneAsync<(string, string, bool)>(
            "SELECT role, password, is_active FROM users WHERE email = 'first.admin@clinic.example'");
        Assert.Equal((Roles.Admin, true), (role, active));
        Assert.True(PasswordHasher.Verify("Clinic-Admin-2026", hash));
        var audit = await database.DataSource.QueryOneAsync<string>("SELECT new_values::text FROM audit_log WHERE action = 'user_create'");
        Assert.Contains("cli:", audit);
        Assert.DoesNotContain("Clinic-Admin-2026", audit + output);
    }

    [Fact]
    public async Task AWeakPasswordATakenEmailOrAWrongCommandIsRefused()
    {
        Assert.Equal(1, (await RunAsync("short", "users", "add-admin", "weak@clinic.example", "Weak Admin")).ExitCode);
        var taken = await RunAsync("Another-Admin-2026", "users", "add-admin", SignIn.AdminEmail, "Again");
        Assert.Equal((1, $"An account with the email {SignIn.AdminEmail} already exists."), (taken.ExitCode, taken.Error.Trim()));
        Assert.Equal(2, (await RunAsync("x", "users", "remove", "someone@clinic.example")).ExitCode);
        Assert.Equal(0, await database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM users WHERE email = 'weak@clinic.example'"));
    }
}
