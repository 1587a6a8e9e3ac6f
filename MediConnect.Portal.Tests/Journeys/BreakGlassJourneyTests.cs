using MediConnect.Portal.Data;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Playwright;

namespace MediConnect.Portal.Tests.Journeys;

/// <summary>Break-glass in Chromium: a doctor outside the care team opens a chart in an emergency; an admin reviews it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class BreakGlassJourneyTests(BrowserFixture browser, TestDatabase database) : IClassFixture<TestDatabase>, IAsyncDisposable
{
    const string Reason = "Brought in unconscious after a fall; need allergies and medication now.";
    readonly PortalFactory _portal = new(database.ConnectionString);

    [Fact]
    public async Task ADoctorBreaksTheGlassOnAChartAndAnAdminReviewsIt()
    {
        var address = _portal.StartOnKestrel();
        var john = await database.UserIdAsync(SignIn.PatientEmail);

        // Dr. Patel is not John's doctor: the chart is refused, with emergency access offered.
        var doctor = await browser.NewPageAsync(address);
        await doctor.SignInAsync("dr.patel@mediconnect.demo", SignIn.DoctorPassword);
        await doctor.GotoAsync($"/doctor/patients/{john}");
        await doctor.WaitForCircuitAsync();
        await Assertions.Expect(doctor.Locator("#chart-denied")).ToContainTextAsync("do not have access");
        await doctor.ClickAsync("#emergency-open");
        await doctor.FillAsync("#emergency-reason", Reason);
        await doctor.ClickAsync("#emergency-confirm");
        await Assertions.Expect(doctor.Locator("#chart-heading")).ToHaveTextAsync("John Doe");
        await Assertions.Expect(doctor.Locator("#emergency-banner")).ToContainTextAsync("Emergency access, read-only");
        await Assertions.Expect(doctor.Locator("#chart-allergies")).ToContainTextAsync("Penicillin");
        await Assertions.Expect(doctor.Locator("#chart-prescribe")).ToHaveCountAsync(0);

        // The admin sees it awaiting review on the home page and reviews it.
        var admin = await browser.NewPageAsync(address);
        await admin.SignInAsync(SignIn.AdminEmail, SignIn.AdminPassword);
        await admin.GotoAsync("/admin");
        await admin.WaitForCircuitAsync();
        var row = admin.Locator("#home-break-glass tr", new() { HasText = "Dr. Raj Patel" });
        await Assertions.Expect(row).ToContainTextAsync("John Doe");
        await Assertions.Expect(row).ToContainTextAsync(Reason);
        await row.Locator(".review-grant").ClickAsync();
        await admin.FillAsync("#review-note", "Confirmed with the ED: John was admitted unconscious.");
        await admin.ClickAsync("#review-save");
        await Assertions.Expect(admin.Locator("#break-glass-none")).ToBeVisibleAsync();

        // The audit log's break-glass filter shows the grant, the reads and the review.
        await admin.GotoAsync("/admin/audit?breakGlass=true");
        await admin.WaitForCircuitAsync();
        var audit = admin.Locator("#audit-table");
        await Assertions.Expect(audit).ToContainTextAsync("break_glass_granted");
        await Assertions.Expect(audit).ToContainTextAsync("break_glass_chart_read");
        await Assertions.Expect(audit).ToContainTextAsync("break_glass_reviewed");
        await Assertions.Expect(audit).Not.ToContainTextAsync("sign_in");
        Assert.NotNull(await database.DataSource.QueryOneAsync<DateTime?>(
            "SELECT reviewed_at FROM break_glass_grants WHERE patient_id = @john", new { john }));
    }

    public ValueTask DisposeAsync() => _portal.DisposeAsync();
}
