using System.Text.RegularExpressions;
using MediConnect.Portal.Features.Account.TwoFactor;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Playwright;

namespace MediConnect.Portal.Tests.Journeys;

/// <summary>Two-factor sign-in in Chromium, with the default REQUIRE_2FA_FOR (admins and doctors); the test plays the phone.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TwoFactorJourneyTests(BrowserFixture browser, TestDatabase database) : IClassFixture<TestDatabase>, IAsyncDisposable
{
    readonly PortalFactory _portal = new(database.ConnectionString, new Dictionary<string, string?> { ["REQUIRE_2FA_FOR"] = "admin,doctor" });

    static async Task EnterPasswordAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/account/login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    [Fact]
    public async Task ADoctorSetsUpAnAuthenticatorAtFirstSignInAndNextTimeSignsInWithItsCode()
    {
        var page = await browser.NewPageAsync(_portal.StartOnKestrel());

        // Password first; the portal asks for an authenticator before any page.
        await EnterPasswordAsync(page, SignIn.DoctorEmail, SignIn.DoctorPassword);
        await page.WaitForURLAsync(new Regex("/account/login/setup$"));
        await Assertions.Expect(page.Locator("#authenticator-qr")).ToBeVisibleAsync();
        var secret = (await page.Locator("#authenticator-secret").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal);

        // The phone shows a code; the doctor types it and keeps the recovery codes.
        await page.FillAsync("#code", Authenticator.CodeAt(secret, DateTimeOffset.UtcNow));
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm and sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("#recovery-codes li")).ToHaveCountAsync(10);
        await page.ClickAsync("#continue");
        await page.WaitForURLAsync(new Regex("/doctor$"));
        await page.WaitForCircuitAsync();
        await Assertions.Expect(page.Locator(".mud-appbar")).ToContainTextAsync("Dr. Sarah Smith");
        // A signed-in page in full: its activity keep-alive runs, and its own sign-out wins over the session's end.
        Assert.True(await page.EvaluateAsync<bool>("typeof window.mediconnectLeave === 'function'"));

        // Signed out, the next sign-in asks for the code after the password.
        await page.GetByRole(AriaRole.Button, new() { Name = "Account menu" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("reason=signed-out$"));
        await EnterPasswordAsync(page, SignIn.DoctorEmail, SignIn.DoctorPassword);
        await page.WaitForURLAsync(new Regex("/account/login/code$"));
        await page.FillAsync("#code", Authenticator.CodeAt(secret, DateTimeOffset.UtcNow.AddSeconds(30))); // the set-up used the current one
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/doctor$"));
        await page.WaitForCircuitAsync();
        await Assertions.Expect(page.Locator(".mud-appbar")).ToContainTextAsync("Dr. Sarah Smith");
    }

    public ValueTask DisposeAsync() => _portal.DisposeAsync();
}
