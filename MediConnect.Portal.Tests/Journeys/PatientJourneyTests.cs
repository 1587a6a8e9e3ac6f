using System.Globalization;
using MediConnect.Portal.Features.Shared.Dates;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Playwright;

namespace MediConnect.Portal.Tests.Journeys;

/// <summary>
/// John Doe records a reading (fixing one bad field), books Dr. Smith, moves the visit and writes to
/// her; Dr. Smith then signs in and finds the booking, the move and the message.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PatientJourneyTests(BrowserFixture browser, TestDatabase database) : IClassFixture<TestDatabase>, IAsyncDisposable
{
    readonly PortalFactory _portal = new(database.ConnectionString);

    /// <summary>A weekday three weeks out: past the demo data's appointments, so 10:00 is free.</summary>
    internal static DateOnly BookingDay()
    {
        var day = DateOnly.FromDateTime(DateTime.Now).AddDays(21);
        while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            day = day.AddDays(1);
        return day;
    }

    internal const string Reason = "Chest tightness when climbing stairs";
    internal const string Subject = "Question before my visit";

    [Fact]
    public async Task JohnRecordsAReadingBooksAndMovesAVisitWithDrSmithAndWritesToHerThenDrSmithSeesItAll()
    {
        var address = _portal.StartOnKestrel();

        var john = await browser.NewPageAsync(address);
        await john.SignInAsync(SignIn.PatientEmail, SignIn.PatientPassword);
        await JohnsPartAsync(john);

        var smith = await browser.NewPageAsync(address);
        await smith.SignInAsync(SignIn.DoctorEmail, SignIn.DoctorPassword);
        await DrSmithsPartAsync(smith);
    }

    internal static async Task JohnsPartAsync(IPage page)
    {
        // His vitals chart
        await page.GotoAsync("/patient/vitals");
        await page.WaitForCircuitAsync();
        await Assertions.Expect(page.Locator(".vital-trend-chart[data-measure='HeartRate'] svg").First).ToBeVisibleAsync();

        // A reading with one invalid field, then fixed
        await page.ClickAsync("#record-reading");
        await page.FillAsync("#vital-HeartRate", "300");
        await page.FillAsync("#vital-BloodPressure", "128/82");
        await page.ClickAsync("#save-reading");
        await Assertions.Expect(page.GetByText("Heart rate must be between 20 and 250 bpm.")).ToBeVisibleAsync();
        await page.FillAsync("#vital-HeartRate", "74");
        await page.ClickAsync("#save-reading");
        await Assertions.Expect(page.Locator("#reading-saved")).ToContainTextAsync("Reading saved");
        await Assertions.Expect(page.Locator("#vital-readings-table tbody tr").First).ToContainTextAsync("128/82");

        // Book Dr. Smith
        var day = BookingDay();
        await page.GotoAsync("/patient/appointments");
        await page.WaitForCircuitAsync();
        await page.ClickAsync("#book-appointment");
        await PickAsync(page, "#book-specialization", "Cardiology");
        await PickAsync(page, "#book-doctor", "Dr. Sarah Smith");
        await page.FillAsync("#book-date", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.Locator("#book-date").BlurAsync();
        await page.ClickAsync("button.slot[data-slot='10:00']");
        await page.FillAsync("#book-reason", Reason);
        await page.ClickAsync("#book-submit");
        await Assertions.Expect(page.Locator("#appointments-notice")).ToContainTextAsync("Booked with Dr. Sarah Smith");
        await Assertions.Expect(page.Locator("#upcoming-appointments")).ToContainTextAsync(Reason);
        await Assertions.Expect(page.Locator("#upcoming-appointments")).ToContainTextAsync(
            BrowserText.Of(() => DateText.Slot(day.ToDateTime(new TimeOnly(10, 0)))));

        // Move it to 11:30 the same day
        var card = page.Locator(".appointment-card", new() { HasText = Reason });
        await card.Locator("button.reschedule-open").ClickAsync();
        var newDate = card.Locator("input[id^='reschedule-date-']");
        await newDate.FillAsync(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await newDate.BlurAsync();
        await card.Locator("button.slot[data-slot='11:30']").ClickAsync();
        await card.Locator("button.reschedule-submit").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Moved to");
        await Assertions.Expect(page.Locator("#upcoming-appointments")).ToContainTextAsync(
            BrowserText.Of(() => DateText.Slot(day.ToDateTime(new TimeOnly(11, 30)))));

        // Write to Dr. Smith
        await page.GotoAsync("/messages");
        await page.WaitForCircuitAsync();
        await page.ClickAsync("#new-message");
        await PickAsync(page, "#compose-to", "Dr. Sarah Smith");
        await page.FillAsync("#compose-subject", Subject);
        await page.FillAsync("#compose-body", "Should I keep taking aspirin before the <b>visit</b>?");
        await page.ClickAsync("#send-message");
        await Assertions.Expect(page.Locator("#messages-notice")).ToContainTextAsync("Message sent.");
        await Assertions.Expect(page.Locator("#message-thread .message-body")).ToHaveTextAsync("Should I keep taking aspirin before the <b>visit</b>?");
    }


    internal static async Task DrSmithsPartAsync(IPage page)
    {
        // The booking is in her upcoming appointments (she lands on /doctor after signing in) ...
        await page.GotoAsync("/doctor");
        await page.WaitForCircuitAsync();
        await page.FillAsync("#patient-filter", "John Doe");
        await Assertions.Expect(page.Locator("#appointment-table")).ToContainTextAsync(Reason);

        // ... and reached her as a notification
        await page.GotoAsync("/notifications");
        await page.WaitForCircuitAsync();
        var booked = $"John Doe booked a consultation on {BookingDay().ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture)} at 10:00.";
        await Assertions.Expect(page.Locator("#notifications-list")).ToContainTextAsync(booked);
        var day = BookingDay().ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture);
        await Assertions.Expect(page.Locator("#notifications-list")).ToContainTextAsync($"John Doe moved the consultation on {day} at 10:00 to {day} at 11:30.");

        // The message is in her inbox, unread until she opens it
        await page.GotoAsync("/messages");
        await page.WaitForCircuitAsync();
        var row = page.Locator(".message-row.unread", new() { HasText = Subject });
        await Assertions.Expect(row).ToBeVisibleAsync();
        await row.ClickAsync();
        await Assertions.Expect(page.Locator("#message-thread")).ToContainTextAsync("Should I keep taking aspirin before the <b>visit</b>?");
        await Assertions.Expect(page.Locator(".message-row.unread", new() { HasText = Subject })).ToHaveCountAsync(0);
    }

    /// <summary>Opens a MudSelect and clicks the option with the given text.</summary>
    internal static async Task PickAsync(IPage page, string select, string option)
    {
        await page.Locator($".mud-select:has({select})").Last.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = option }).First.ClickAsync();
        await Assertions.Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
    }

    public ValueTask DisposeAsync() => _portal.DisposeAsync();
}
