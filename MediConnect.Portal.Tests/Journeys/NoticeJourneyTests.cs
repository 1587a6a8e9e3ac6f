using System.Globalization;
using MediConnect.Portal.Data;
using MediConnect.Portal.Tests.Features.Shared.Notifications.Delivery;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Playwright;

namespace MediConnect.Portal.Tests.Journeys;

/// <summary>John books a visit in the browser; the portal's own outbox worker emails him the confirmation, read here from a real SMTP server.</summary>
[Collection(BrowserCollection.Name)]
public sealed class NoticeJourneyTests(BrowserFixture browser, TestDatabase database, SmtpServer smtp)
    : IClassFixture<TestDatabase>, IClassFixture<SmtpServer>, IAsyncDisposable
{
    readonly PortalFactory _portal = new(database.ConnectionString, smtp.Settings);

    [Fact]
    public async Task JohnBooksAVisitAndFindsTheConfirmationWithItsCalendarInviteInHisMail()
    {
        var page = await browser.NewPageAsync(_portal.StartOnKestrel());
        await page.SignInAsync(SignIn.PatientEmail, SignIn.PatientPassword);
        var day = PatientJourneyTests.BookingDay();

        await page.GotoAsync("/patient/appointments");
        await page.WaitForCircuitAsync();
        await page.ClickAsync("#book-appointment");
        await PatientJourneyTests.PickAsync(page, "#book-specialization", "Cardiology");
        await PatientJourneyTests.PickAsync(page, "#book-doctor", "Dr. Sarah Smith");
        await page.FillAsync("#book-date", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.Locator("#book-date").BlurAsync();
        await page.ClickAsync("button.slot[data-slot='10:00']");
        await page.FillAsync("#book-reason", PatientJourneyTests.Reason);
        await page.ClickAsync("#book-submit");
        await Assertions.Expect(page.Locator("#appointments-notice")).ToContainTextAsync("Booked with Dr. Sarah Smith");

        var mail = Assert.Single(await smtp.WaitForAsync(SignIn.PatientEmail), m => m.Subject == "Your visit is booked");
        var when = day.ToDateTime(new TimeOnly(10, 0)).ToString("dddd d MMMM yyyy 'at' HH:mm", CultureInfo.InvariantCulture);
        Assert.Contains($"Your visit with Dr. Sarah Smith is booked for {when}.", mail.TextBody);
        var id = await database.DataSource.QueryOneAsync<int>(
            "SELECT id FROM appointments WHERE reason = @reason", new { reason = PatientJourneyTests.Reason });
        var ics = EmailSenderTests.Invite(mail);
        Assert.Contains($"UID:appointment-{id}@clinic.test", ics);
        Assert.Contains("SEQUENCE:0", ics);
        Assert.Contains("METHOD:REQUEST", ics);
        Assert.DoesNotContain("Chest", mail.TextBody + mail.HtmlBody + ics, StringComparison.OrdinalIgnoreCase);
    }

    public ValueTask DisposeAsync() => _portal.DisposeAsync();
}
