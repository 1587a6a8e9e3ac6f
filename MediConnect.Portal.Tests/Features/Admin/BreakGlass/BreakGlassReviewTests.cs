using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Admin.Audit;
using MediConnect.Portal.Features.Admin.BreakGlass;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Features.Doctor;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;
using static MediConnect.Portal.Tests.Fixtures.Demo;

namespace MediConnect.Portal.Tests.Features.Admin.BreakGlass;

/// <summary>Admins review break-glass grants: the last week's unreviewed ones, with their reads, marked reviewed once; the audit log's break-glass filter.</summary>
public sealed class BreakGlassReviewTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    const string Reason = "Found unresponsive in the car park; checking for anticoagulants.";
    readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    async Task<(BreakGlassReview Review, TestCurrentUser Admin)> AdminAsync()
    {
        var admin = await database.SignedInAsync(Demo.Admin);
        return (new BreakGlassReview(database.DataSource, admin, new AuditLog(admin), _clock), admin);
    }

    /// <summary>A new doctor (outside every care team) who breaks the glass on <paramref name="patientEmail"/>'s chart and reads it.</summary>
    async Task<(int GrantId, int DoctorId)> EmergencyReadAsync(string patientEmail)
    {
        var email = await database.NewUserAsync(Roles.Doctor);
        var doctor = await DoctorWorkspace.SignedInAsync(database, email, _clock);
        var patient = await database.UserIdAsync(patientEmail);
        var grant = await doctor.Emergency.RequestAsync(patient, Reason);
        await doctor.Chart.OpenAsync(patient);
        await doctor.Chart.PrescriptionsAsync(patient);
        return (grant.Id, await database.UserIdAsync(email));
    }

    [Fact]
    public async Task AGrantAwaitsReviewWithItsReadsUntilAnAdminMarksItReviewedOnce()
    {
        var (review, _) = await AdminAsync();
        var (grantId, doctorId) = await EmergencyReadAsync(Michael);

        var awaiting = Assert.Single(await review.AwaitingAsync(), g => g.Id == grantId);
        Assert.Equal(("Michael Brown", Reason, 2L, doctorId), (awaiting.PatientName, awaiting.Reason, awaiting.Reads, awaiting.DoctorId));

        await review.MarkReviewedAsync(grantId, "  Confirmed with the ED charge nurse.  ");

        Assert.DoesNotContain(await review.AwaitingAsync(), g => g.Id == grantId);
        var (reviewedBy, note) = await database.DataSource.QueryOneAsync<(int, string)>(
            "SELECT reviewed_by, review_note FROM break_glass_grants WHERE id = @grantId", new { grantId });
        Assert.Equal((await database.UserIdAsync(Demo.Admin), "Confirmed with the ED charge nurse."), (reviewedBy, note));
        Assert.Equal("Confirmed with the ED charge nurse.", await database.DataSource.QueryOneAsync<string>(
            "SELECT new_values->>'note' FROM audit_log WHERE action = 'break_glass_reviewed' AND entity_id = @id", new { id = grantId.ToString() }));
        var twice = await Assert.ThrowsAsync<BusinessRuleException>(() => review.MarkReviewedAsync(grantId, null));
        Assert.Contains("already reviewed", twice.Message);
    }

    [Fact]
    public async Task OnlyTheLastSevenDaysAreListedAndOnlyAdminsMayReview()
    {
        var (grantId, _) = await EmergencyReadAsync(Emily);
        var (review, _) = await AdminAsync();
        Assert.Contains(await review.AwaitingAsync(), g => g.Id == grantId);

        _clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        Assert.DoesNotContain(await review.AwaitingAsync(), g => g.Id == grantId);

        var doctor = await database.SignedInAsync(Smith);
        var asDoctor = new BreakGlassReview(database.DataSource, doctor, new AuditLog(doctor), _clock);
        await Assert.ThrowsAsync<AccessDeniedException>(() => asDoctor.AwaitingAsync());
        await Assert.ThrowsAsync<AccessDeniedException>(() => asDoctor.MarkReviewedAsync(grantId, null));
    }

    [Fact]
    public async Task TheAuditLogsBreakGlassFilterShowsGrantsReadsAndReviewsOnly()
    {
        var (grantId, _) = await EmergencyReadAsync("david.wilson@mediconnect.demo");
        await (await DoctorWorkspace.SignedInAsync(database, Smith)).Chart.OpenAsync(await database.UserIdAsync(John)); // an ordinary chart_view
        var (review, admin) = await AdminAsync();
        await review.MarkReviewedAsync(grantId, null);
        var audit = new AuditBrowser(database.DataSource, database.Reads, admin, new AuditLog(admin), TimeProvider.System);

        var page = await audit.SearchAsync(new AuditQuery(PageSize: 200, BreakGlass: true));

        Assert.NotEmpty(page.Items);
        Assert.All(page.Items, row => Assert.StartsWith("break_glass_", row.Action));
        Assert.Equal(["break_glass_chart_read", "break_glass_granted", "break_glass_reviewed"], page.Items.Select(r => r.Action).Distinct().Order());
        Assert.Contains((await audit.SearchAsync(new AuditQuery(PageSize: 200))).Items, row => !row.Action.StartsWith("break_glass_", StringComparison.Ordinal));
    }
}
