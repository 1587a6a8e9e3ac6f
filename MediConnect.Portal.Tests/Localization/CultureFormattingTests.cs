using System.Globalization;
using System.Net;
using MediConnect.Portal.Tests.Features.Account;
using MediConnect.Portal.Tests.Fixtures;

namespace MediConnect.Portal.Tests.Localization;

/// <summary>
/// Dates on a prerendered patient page follow the browser's Accept-Language: John's date of birth
/// (14 March 1980 in the demo data) as each formatting culture writes it, in English words for both
/// English cultures and the default for a language the portal does not format in.
/// </summary>
public sealed class CultureFormattingTests(PortalOnDatabase fixture) : IClassFixture<PortalOnDatabase>
{
    async Task<string> ProfileAsync(string acceptLanguage)
    {
        using var client = AccountHttp.Client(fixture.Portal);
        client.DefaultRequestHeaders.Add("Accept-Language", acceptLanguage);
        await AccountHttp.SignInAsync(client, SignIn.PatientEmail, SignIn.PatientPassword);
        using var response = await client.GetAsync("/patient/profile");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("en-GB,en;q=0.9", "14 Mar 1980")]
    [InlineData("en-US,en;q=0.9", "Mar 14, 1980")]
    [InlineData("de-DE,de;q=0.9,en;q=0.8", "14. März 1980")]
    [InlineData("ja-JP", "Mar 14, 1980")]
    public async Task TheDateOfBirthIsWrittenAsTheBrowsersCultureWritesIt(string acceptLanguage, string expected)
    {
        var page = await ProfileAsync(acceptLanguage);

        Assert.Contains($"value=\"{expected}\"", page);
        Assert.Contains("Date of birth", page); // the words stay English: en is the only language
    }

    [Fact]
    public async Task BritishAndAmericanBrowsersSeeTheSameDayInTheirOwnOrder()
    {
        var born = new DateOnly(1980, 3, 14);

        var british = await ProfileAsync("en-GB");
        var american = await ProfileAsync("en-US");

        Assert.Contains(born.ToString("d MMM yyyy", CultureInfo.InvariantCulture), british);
        Assert.DoesNotContain(born.ToString("MMM d, yyyy", CultureInfo.InvariantCulture), british);
        Assert.Contains(born.ToString("MMM d, yyyy", CultureInfo.InvariantCulture), american);
    }
}
