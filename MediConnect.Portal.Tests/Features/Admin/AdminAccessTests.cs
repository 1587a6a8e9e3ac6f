using MediConnect.Portal.Data;
using MediConnect.Portal.Data.Migrations;
using MediConnect.Portal.Features.Admin.Home;
using MediConnect.Portal.Features.Admin.Audit;
using MediConnect.Portal.Features.Admin.Health;
using MediConnect.Portal.Features.Admin.Migrations;
using MediConnect.Portal.Features.Admin.Users;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediConnect.Portal.Tests.Features.Admin;

/// <summary>Every admin service method refuses doctors, patients and anonymous callers, and changes nothing.</summary>
public sealed class AdminAccessTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    /// <summary>"" is nobody signed in.</summary>
    public static TheoryData<string> Callers => new() { SignIn.DoctorEmail, SignIn.PatientEmail, "" };

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task EveryAdminServiceMethodRefusesNonAdmins(string email)
    {
        var caller = email == "" ? new TestCurrentUser(null) : await database.SignedInAsync(email);
        var db = database.DataSource;
        var settings = new DatabaseSettings(database.ConnectionString, false, TimeSpan.FromSeconds(1));
        using var pool = new PoolStatistics(settings, TimeProvider.System);
        using var slow = new SlowQueryLog(settings, NullLogger<SlowQueryLog>.Instance);
        var probe = new DatabaseProbe(db, NullLogger<DatabaseProbe>.Instance);
        var runner = new MigrationRunner(db, new MigrationOptions(PostgresServer.MigrationsFolder),
            new TestHostEnvironment("Development"), NullLogger<MigrationRunner>.Instance);
        var audit = new AuditLog(caller);
        var migrations = new MigrationConsole(runner, db, caller, audit, NullLogger<MigrationConsole>.Instance);
        var health = new DatabaseHealthService(caller, pool, new DatabaseHealthSampler(db, LagTolerantReads.PrimaryOnly(db), probe, slow, TimeProvider.System));
        var users = new UserAdminService(db, caller, audit, new PasswordHasher());
        var auditBrowser = new AuditBrowser(db, LagTolerantReads.PrimaryOnly(db), caller, audit, TimeProvider.System);
        var overview = new AdminOverviewService(caller, runner, probe, pool, slow, new ClinicTotals(db, TimeProvider.System));
        var doctorId = await database.UserIdAsync(SignIn.DoctorEmail);
        var databaseName = runner.DatabaseName;
        var usersBefore = await db.QueryOneAsync<string>("SELECT string_agg(concat_ws('|', id, email, role, name, is_active, password), ',' ORDER BY id) FROM users");
        var auditBefore = await db.QueryOneAsync<long>("SELECT count(*) FROM audit_log");

        Func<Task>[] calls =
        [
            () => migrations.GetOverviewAsync(),
            () => migrations.RunPendingAsync(),
            () => migrations.RunFileAsync("001_initial_schema.sql"),
            () => migrations.RollbackAsync(databaseName),
            () => health.GetPoolAsync(),
            () => health.GetHealthAsync(),
            () => health.GetTableSizesAsync(),
            () => users.SearchAsync(new UserQuery()),
            () => users.GetAsync(doctorId),
            () => users.CreateAsync(new NewUser("intruder@example.com", "Intruder", Roles.Admin, null, null, "Intruder-Pass-1")),
            () => users.UpdateAsync(doctorId, new UserChanges("Hacked", Roles.Admin, null, null)),
            () => users.SetActiveAsync(doctorId, false),
            () => users.ResetPasswordAsync(doctorId, "Intruder-Pass-1"),
            () => users.UnlockAsync(doctorId),
            () => users.SignOutEverywhereAsync(doctorId),
            () => auditBrowser.SearchAsync(new AuditQuery()),
            () => auditBrowser.GetAsync(1),
            () => auditBrowser.GetFilterChoicesAsync(),
            () => auditBrowser.ExportCsvAsync(new AuditQuery(), Stream.Null),
            () => overview.GetAsync(),
        ];

        foreach (var call in calls)
            await Assert.ThrowsAsync<AccessDeniedException>(call);

        Assert.Equal(usersBefore, await db.QueryOneAsync<string>("SELECT string_agg(concat_ws('|', id, email, role, name, is_active, password), ',' ORDER BY id) FROM users"));
        Assert.Equal(auditBefore, await db.QueryOneAsync<long>("SELECT count(*) FROM audit_log"));
        Assert.True(await db.QueryOneAsync<bool>("SELECT to_regclass('users') IS NOT NULL"));
    }
}
