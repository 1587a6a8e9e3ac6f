using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Playwright;

namespace MediConnect.Portal.Tests.Journeys;

/// <summary>Booking on a phone (390×844, touch): the next available times show once a doctor is picked, the day field is the phone's own date control, and a tap books.</summary>
[Collection(BrowserCollection.Name)]
public sealed class BookingPhoneJourneyTests(BrowserFixture browser, TestDatabase database) : IClassFixture<TestDatabase>, IAsyncDisposable
{
    readonly PortalFactory _portal = new(database.ConnectionString);

    [Fact]
    public async Task OnAPhoneAPatientBooksFromTheNextAvailableTimesWithoutTypingADate()
    {
        var page = await browser.NewPhonePageAsync(_portal.StartOnKestrel());
        await page.SignInAsync(SignIn.PatientEmail, SignIn.PatientPassword);
        await page.GotoAsync("/patient/appointments");
        await page.WaitForCircuitAsync();
        await page.TapAsync("#book-appointment");
        await page.Locator(".mud-select:has(#book-doctor)").Last.TapAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Dr. Sarah Smith" }).First.TapAsync();

        var slot = page.Locator("button.next-slot").First;
        await Assertions.Expect(slot).ToBeVisibleAsync();
        Assert.Equal("date", await page.Locator("#book-date").GetAttributeAsync("type"));
        var field = await page.Locator("#book-date").BoundingBoxAsync();
        Assert.True(field is not null && field.X >= 0 && field.X + field.Width <= BrowserFixture.Phone.Width, "The day field fits the phone's screen.");
        await slot.TapAsync();
        await page.FillAsync("#book-reason", "Booked on my phone");
        await page.TapAsync("#book-submit");

        await Assertions.Expect(page.Locator("#appointments-notice")).ToContainTextAsync("Booked with Dr. Sarah Smith");
    }

    public ValueTask DisposeAsync() => _portal.DisposeAsync();
}
