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

    /// <summary>Opens <c>/account/login</c>, submits the form and waits to leave the login page.</summary>
    public static async Task SignInAsync(this IPage page, string email, string password)
    {
        await page.GotoAsync("/account/login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
        await page.WaitForCircuitAsync();
    }
}
