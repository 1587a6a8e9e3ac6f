using Microsoft.Playwright;

namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>The demo accounts and signing in through the real login page.</summary>
public static class SignIn
{
    public const string AdminEmail = "admin@mediconnect.demo";
    public const string AdminPassword = "Demo2024!Admin";
    public const string DoctorEmail = "dr.smith@mediconnect.demo";
    public const string DoctorPassword = "Demo2024!Doctor";
    public const string PatientEmail = "john.doe@mediconnect.demo";
    public const string PatientPassword = "Demo2024!Patient";

    /// <summary>
    /// How long a sign-in may take to leave the login page and to connect the next page's circuit.
    /// The first sign-in on a freshly started portal does the most work of any step: BCrypt at work
    /// factor 12 (0.27-0.36 s of CPU), the sign-in path and the first interactive page compiled by
    /// the JIT. On a 2-core machine at load average 40-47 the POST was answered after 6.5-9 s (behind
    /// nginx) and 17 s (in-process), and the circuit was ready 5.5-12 s after the page loaded:
    /// the 15 s of every other step ran out with nothing wrong.
    /// </summary>
    const float SignInTimeoutMs = 60_000;

    /// <summary>Opens <c>/account/login</c>, submits the form and waits to leave the login page.</summary>
    public static async Task SignInAsync(this IPage page, string email, string password)
    {
        await page.GotoAsync("/account/login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        // The click waits for the navigation it starts: the POST and its redirect.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(new() { Timeout = SignInTimeoutMs });
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal), new() { Timeout = SignInTimeoutMs });
        await page.WaitForFunctionAsync(Interactivity.CircuitReady, null, new() { Timeout = SignInTimeoutMs });
    }
}
