using System.Net;
using System.Text.RegularExpressions;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MediConnect.Portal.Tests.Features.Account;

/// <summary>Drives the account pages over HTTP the way a browser's forms do: hidden fields (antiforgery, form name) read from the page, then posted.</summary>
static partial class AccountHttp
{
    public static HttpClient Client(PortalFactory portal, string baseAddress = "http://localhost") =>
        portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri(baseAddress) });

    /// <summary>Opens the login page (to get its antiforgery token) and posts the form.</summary>
    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string email, string password, string? returnUrl = null)
    {
        var path = returnUrl is null ? "/account/login" : $"/account/login?returnUrl={Uri.EscapeDataString(returnUrl)}";
        var fields = await HiddenFieldsAsync(client, path);
        fields["Input.Email"] = email;
        fields["Input.Password"] = password;
        return await client.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    /// <summary>Signs in and fails the test unless it worked.</summary>
    public static async Task SignInAsync(HttpClient client, string email, string password)
    {
        using var response = await PostLoginAsync(client, email, password);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Sign-in of {email} did not redirect: {response.StatusCode}");
    }

    /// <summary>Posts the sign-out form (its antiforgery token read from a signed-in page).</summary>
    public static async Task<HttpResponseMessage> PostLogoutAsync(HttpClient client)
    {
        var fields = await HiddenFieldsAsync(client, "/account/sessions");
        return await client.PostAsync("/account/logout", new FormUrlEncodedContent(fields.Where(f => f.Key == "__RequestVerificationToken")));
    }

    /// <summary>The hidden inputs of the first form on <paramref name="path"/>.</summary>
    public static async Task<Dictionary<string, string>> HiddenFieldsAsync(HttpClient client, string path)
    {
        using var page = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return HiddenFields(await page.Content.ReadAsStringAsync());
    }

    /// <summary>The hidden inputs of the first form in <paramref name="html"/>.</summary>
    public static Dictionary<string, string> HiddenFields(string html)
    {
        var fields = new Dictionary<string, string>();
        foreach (Match input in HiddenInput().Matches(html))
        {
            var name = Regex.Match(input.Value, "name=\"([^\"]+)\"").Groups[1].Value;
            var value = WebUtility.HtmlDecode(Regex.Match(input.Value, "value=\"([^\"]*)\"").Groups[1].Value);
            fields.TryAdd(name, value);
        }
        return fields;
    }

    /// <summary>Where a redirect points: path and query when it stays on this site, else the whole address.</summary>
    public static string Location(HttpResponseMessage response) =>
        response.Headers.Location is not { } location ? ""
        : !location.IsAbsoluteUri ? location.OriginalString
        : location.Host == "localhost" ? location.PathAndQuery
        : location.OriginalString;

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*>")]
    private static partial Regex HiddenInput();
}
