using System.Text;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Admin.Audit;
using MediConnect.Portal.Features.Shared.Lists;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;

namespace MediConnect.Portal.Tests.Features.Admin.Audit;

/// <summary>The demo data writes no audit rows, so each test's rows are the only ones in its database.</summary>
public sealed class AuditBrowserTests : IAsyncDisposable
{
    readonly List<TestDatabase> _databases = [];

    /// <param name="zone">The portal's time zone (its clock's); UTC unless given, so no test depends on the machine's zone.</param>
    async Task<(TestDatabase Db, AuditBrowser Audit, int AdminId, int DoctorId)> SetUpAsync(TimeZoneInfo? zone = null)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 3, 20, 12, 0, 0, TimeSpan.Zero));
        clock.SetLocalTimeZone(zone ?? TimeZoneInfo.Utc);
        var database = new TestDatabase();
        await database.InitializeAsync();
        _databases.Add(database);
        var admin = await database.SignedInAsync(SignIn.AdminEmail);
        return (database, new AuditBrowser(database.DataSource, database.Reads, admin, new AuditLog(admin), clock),
            admin.User!.Id, await database.UserIdAsync(SignIn.DoctorEmail));
    }

    static Task InsertAsync(TestDatabase db, int? userId, string action, string entityType, string entityId, DateTime createdAtUtc,
        string? newValues = null, string? userAgent = null) =>
        db.DataSource.ExecuteAsync("""
            INSERT INTO audit_log (user_id, action, entity_type, entity_id, new_values, user_agent, created_at)
            VALUES (@userId, @action, @entityType, @entityId, @newValues::jsonb, @userAgent, @createdAtUtc)
            """, new { userId, action, entityType, entityId, newValues, userAgent, createdAtUtc = new DateTimeOffset(createdAtUtc, TimeSpan.Zero) });

    [Fact]
    public async Task FiltersByUserActionEntityAndDateRange()
    {
        var (db, audit, adminId, doctorId) = await SetUpAsync();
        var day = new DateTime(2025, 3, 10, 12, 0, 0, DateTimeKind.Utc);
        await InsertAsync(db, adminId, "user_update", "user", "7", day);
        await InsertAsync(db, doctorId, "appointment_confirm", "appointment", "3", day.AddDays(1));
        await InsertAsync(db, doctorId, "chart_view", "patient", "9", day.AddDays(2));
        await InsertAsync(db, null, "login_failed", "user", "x", day.AddDays(3));

        Assert.Equal(2, (await audit.SearchAsync(new AuditQuery(User: "dr.smith"))).Total);
        Assert.Equal(2, (await audit.SearchAsync(new AuditQuery(User: "Sarah Smith"))).Total);
        Assert.Equal("chart_view", Assert.Single((await audit.SearchAsync(new AuditQuery(Action: "chart_view"))).Items).Action);
        Assert.Equal(2, (await audit.SearchAsync(new AuditQuery(EntityType: "user"))).Total);
        var range = await audit.SearchAsync(new AuditQuery(From: new DateOnly(2025, 3, 11), To: new DateOnly(2025, 3, 12)));
        Assert.Equal(["chart_view", "appointment_confirm"], range.Items.Select(i => i.Action));
        var combined = await audit.SearchAsync(new AuditQuery(User: "smith", EntityType: "patient", To: new DateOnly(2025, 3, 12)));
        Assert.Equal(SignIn.DoctorEmail, Assert.Single(combined.Items).UserEmail);
        var choices = await audit.GetFilterChoicesAsync();
        Assert.Equal(["appointment_confirm", "chart_view", "login_failed", "user_update"], choices.Actions);
        Assert.Equal(["appointment", "patient", "user"], choices.EntityTypes);
    }

    [Theory]
    [InlineData(-5)]
    [InlineData(9)]
    public async Task TheDateFilterTakesWholeDaysOfThePortalsTimeZoneNotOfUtc(int utcOffsetHours)
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone($"Clinic{utcOffsetHours}", TimeSpan.FromHours(utcOffsetHours), "Clinic", "Clinic");
        var (db, audit, adminId, _) = await SetUpAsync(zone);
        var day = new DateOnly(2025, 3, 10);
        // Local 00:30 and 23:30 of the day, and 23:30 of the day before: on the UTC calendar two of them change day.
        DateTime Local(DateOnly d, int hour, int minute) => d.ToDateTime(new TimeOnly(hour, minute)).AddHours(-utcOffsetHours);
        await InsertAsync(db, adminId, "day_early", "user", "1", Local(day, 0, 30));
        await InsertAsync(db, adminId, "day_late", "user", "2", Local(day, 23, 30));
        await InsertAsync(db, adminId, "day_before", "user", "3", Local(day.AddDays(-1), 23, 30));
        await InsertAsync(db, adminId, "day_after", "user", "4", Local(day.AddDays(1), 0, 30));

        var found = await audit.SearchAsync(new AuditQuery(From: day, To: day));

        Assert.Equal(["day_late", "day_early"], found.Items.Select(i => i.Action));
    }

    [Fact]
    public async Task BeyondTenThousandMatchingEntriesThePageSaysMoreThanTenThousandAndStillShowsTheNewest()
    {
        var (db, audit, adminId, doctorId) = await SetUpAsync();
        await db.DataSource.ExecuteAsync("""
            INSERT INTO audit_log (user_id, action, entity_type, entity_id, created_at)
            SELECT @adminId, 'user_update', 'user', i::text, TIMESTAMPTZ '2025-01-01 00:00Z' + make_interval(mins => i)
            FROM generate_series(1, @count) AS i
            """, new { adminId, count = CappedCount.Limit + 1 });
        await InsertAsync(db, doctorId, "chart_view", "patient", "9", new DateTime(2025, 1, 2, 0, 0, 0, DateTimeKind.Utc));

        var all = await audit.SearchAsync(new AuditQuery(PageSize: 3));
        var lastPage = await audit.SearchAsync(new AuditQuery(PageSize: 25, Page: CappedCount.Limit / 25 - 1));
        var doctorOnly = await audit.SearchAsync(new AuditQuery(User: "dr.smith"));

        Assert.Equal((CappedCount.Limit, true), (all.Total, all.MoreThanTotal));
        Assert.Equal(["10001", "10000", "9999"], all.Items.Select(i => i.EntityId));
        Assert.Equal(25, lastPage.Items.Count);
        Assert.Equal((1, false), (doctorOnly.Total, doctorOnly.MoreThanTotal));
        Assert.Equal("{first_item}-{last_item} of more than 10,000", CappedCount.PagerInfo(all.MoreThanTotal));
    }

    [Fact]
    public async Task PagesNewestFirstOnTheServer()
    {
        var (db, audit, adminId, _) = await SetUpAsync();
        var start = new DateTime(2025, 1, 1, 8, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < 12; i++)
            await InsertAsync(db, adminId, "user_update", "user", i.ToString(), start.AddMinutes(i));

        var first = await audit.SearchAsync(new AuditQuery(PageSize: 5));
        var third = await audit.SearchAsync(new AuditQuery(PageSize: 5, Page: 2));

        Assert.Equal(12, first.Total);
        Assert.Equal(["11", "10", "9", "8", "7"], first.Items.Select(i => i.EntityId));
        Assert.Equal(["1", "0"], third.Items.Select(i => i.EntityId));
    }

    [Fact]
    public async Task DetailShowsOldAndNewValues()
    {
        var (db, audit, _, _) = await SetUpAsync();
        var writer = await db.SignedInAsync(SignIn.AdminEmail);
        await db.DataSource.InTransactionAsync(tx => new AuditLog(writer).WriteAsync(tx, "user_update", "user", 5, new { name = "Old" }, new { name = "New" }));
        var row = Assert.Single((await audit.SearchAsync(new AuditQuery())).Items);

        var detail = await audit.GetAsync(row.Id);

        Assert.Equal("{\"name\": \"Old\"}", detail!.OldValues);
        Assert.Contains("\"New\"", AuditBrowser.Indented(detail.NewValues));
        Assert.Equal(("127.0.0.1", "tests"), (detail.IpAddress, detail.UserAgent));
    }

    [Fact]
    public async Task CsvExportHasTheFilteredRowsWithCommasQuotesAndNewlinesQuoted()
    {
        var (db, audit, adminId, doctorId) = await SetUpAsync();
        var day = new DateTime(2025, 5, 1, 9, 30, 0, DateTimeKind.Utc);
        await InsertAsync(db, adminId, "user_update", "user", "a,b", day, """{"note": "say \"hi\", twice"}""", "line one\nline two");
        await InsertAsync(db, doctorId, "chart_view", "patient", "plain", day.AddHours(1));
        await InsertAsync(db, adminId, "user_create", "user", "=cmd()", day.AddHours(2));

        using var output = new MemoryStream();
        await audit.ExportCsvAsync(new AuditQuery(User: "admin@"), output);
        var csv = Encoding.UTF8.GetString(output.ToArray());

        var lines = csv.Split("\r\n");
        Assert.Equal("id,created_at_utc,user_id,user_email,action,entity_type,entity_id,old_values,new_values,ip_address,user_agent", lines[0]);
        Assert.DoesNotContain("chart_view", csv);
        Assert.Contains("\"a,b\"", csv);
        Assert.Contains("\"{\"\"note\"\": \"\"say \\\"\"hi\\\"\", twice\"\"}\"", csv);
        Assert.Contains("\"line one\nline two\"", csv);
        Assert.Contains("2025-05-01T09:30:00.000Z", csv);
        // A value a spreadsheet would run as a formula is escaped.
        Assert.DoesNotContain(",=cmd()", csv);
        // Exporting is itself audited.
        Assert.Equal(1, await db.DataSource.QueryOneAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'audit_export'"));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _databases)
            await database.DisposeAsync();
    }
}
