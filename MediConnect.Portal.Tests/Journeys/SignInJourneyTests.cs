using System.Text.RegularExpressions;
using MediConnect.Portal.Tests.Features.Account;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Playwright;

namespace MediConnect.Portal.Tests.Journeys;

[Collection(BrowserCollection.Name)]
public sealed class SignInJourneyTests(BrowserFixture browser, TestDatabase database) : IClassFixture<TestDatabase>, IAsyncDisposable
{
    readonly PortalFactory _portal = new(database.ConnectionString, PortalOnDatabase.Settings);

    async Task<IPage> NewPageAsync()
    {
        var page = await browser.NewPageAsync(_portal.StartOnKestrel());
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
                violations.Add(message.Text);
        };
        _violations = violations;
        return page;
    }

    List<string> _violations = [];

    Task<long> SessionsAsync(int userId) =>
        MediConnect.Portal.Data.DataSourceQueries.QueryOneAsync<long>(database.DataSource, "SELECT count(*) FROM sessions WHERE user_id = @userId", new { userId });

    [Theory]
    [InlineData(SignIn.AdminEmail, SignIn.AdminPassword, "/admin", "Alex Admin", "Administrator", "Audit log")]
    [InlineData(SignIn.DoctorEmail, SignIn.DoctorPassword, "/doctor", "Dr. Sarah Smith", "Doctor", "My patients")]
    [InlineData(SignIn.PatientEmail, SignIn.PatientPassword, "/patient", "John Doe", "Patient", "Prescriptions")]
    public async Task EachDemoAccountSignsInAndSeesItsRolesHome(string email, string password, string home, string name, string role, string roleLink)
    {
        var page = await NewPageAsync();

        await page.SignInAsync(email, password);

        Assert.EndsWith(home, new Uri(page.Url).AbsolutePath);
        var appBar = page.Locator(".mud-appbar");
        await Assertions.Expect(appBar).ToContainTextAsync(name);
        await Assertions.Expect(appBar).ToContainTextAsync(role);
        var drawer = page.Locator(".mud-drawer");
        await Assertions.Expect(drawer.GetByRole(AriaRole.Link, new() { Name = roleLink })).ToBeVisibleAsync();
        await Assertions.Expect(drawer.GetByRole(AriaRole.Link, new() { Name = "My sessions" })).ToBeVisibleAsync();
        Assert.Empty(_violations);
    }

    [Fact]
    public async Task AWrongPasswordShowsTheMessageAndStaysOnTheLoginPage()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/account/login");

        await page.FillAsync("#email", SignIn.DoctorEmail);
        await page.FillAsync("#password", "Not-The-Password-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.Locator("#login-error")).ToHaveTextAsync("Invalid email or password.");
        Assert.Contains("/account/login", page.Url);
        await Assertions.Expect(page.Locator("#password")).ToHaveValueAsync("");
    }

    [Fact]
    public async Task SigningOutFromTheMenuEndsTheSessionAndReturnsToLogin()
    {
        // Other tests of this class may have left John signed in elsewhere: count this session only.
        var userId = await database.UserIdAsync(SignIn.PatientEmail);
        var before = await SessionsAsync(userId);
        var page = await NewPageAsync();
        await page.SignInAsync(SignIn.PatientEmail, SignIn.PatientPassword);
        Assert.Equal(before + 1, await SessionsAsync(userId));

        await page.GetByRole(AriaRole.Button, new() { Name = "Account menu" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Menuitem, new() { Name = "Change password" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await page.WaitForURLAsync(new Regex("/account/login\\?reason=signed-out$"));
        await Assertions.Expect(page.GetByText("You have been signed out.")).ToBeVisibleAsync();
        Assert.Equal(before, await SessionsAsync(userId));
    }

    [Fact]
    public async Task AfterSigningOutTheBackButtonDoesNotRevealThePage()
    {
        var page = await NewPageAsync();
        await page.SignInAsync(SignIn.DoctorEmail, SignIn.DoctorPassword);
        await page.GotoAsync("/account/sessions");
        await Assertions.Expect(page.Locator("#sessions")).ToContainTextAsync("This session");

        await page.Locator(".account-header").GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/account/login\\?reason=signed-out$"));
        await page.GoBackAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login\\?returnUrl=%2Faccount%2Fsessions$"));
        await Assertions.Expect(page.Locator("#sessions")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByText("Dr. Sarah Smith")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task AVisitorIsSentToLoginAndComesBackAfterSigningIn()
    {
        var page = await NewPageAsync();

        await page.GotoAsync("/account/sessions");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login\\?returnUrl=%2Faccount%2Fsessions$"));
        await page.FillAsync("#email", SignIn.DoctorEmail);
        await page.FillAsync("#password", SignIn.DoctorPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/sessions$"));
        await Assertions.Expect(page.Locator("#sessions")).ToContainTextAsync("This session");
    }

    public ValueTask DisposeAsync() => _portal.DisposeAsync();
}
