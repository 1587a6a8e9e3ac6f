using System.Net;
using System.Text.RegularExpressions;

namespace MediConnect.Portal.Benchmarks.Http;

/// <summary>
/// <c>sign-in</c>: signs in through the portal's login form, as a browser does (antiforgery token
/// from the page, then the POST), and prints the cookies for wrk's <c>Cookie:</c> header.
/// </summary>
public static partial class SignInCommand
{
    public static async Task<int> RunAsync(Options options)
    {
        var cookies = await SignInAsync(new Uri(options.Required("url")), options.Required("email"), options.Required("password"));
        Console.WriteLine(string.Join("; ", cookies.Select(c => $"{c.Name}={c.Value}")));
        return 0;
    }

    public static async Task<IReadOnlyList<Cookie>> SignInAsync(Uri portal, string email, string password)
    {
        var jar = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = jar, AllowAutoRedirect = false }) { BaseAddress = portal };
        var html = await client.GetStringAsync("/account/login");
        var fields = HiddenInput().Matches(html).ToDictionary(
            m => Regex.Match(m.Value, "name=\"([^\"]+)\"").Groups[1].Value,
            m => WebUtility.HtmlDecode(Regex.Match(m.Value, "value=\"([^\"]*)\"").Groups[1].Value));
        fields["Input.Email"] = email;
        fields["Input.Password"] = password;
        using var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(fields));
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Signing in {email} failed: {(int)response.StatusCode}");
        return [.. jar.GetCookies(portal).Cast<Cookie>()];
    }

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*>")]
    private static partial Regex HiddenInput();
}
