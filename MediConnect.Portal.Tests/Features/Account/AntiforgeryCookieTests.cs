using MediConnect.Portal.Tests.Fixtures;

namespace MediConnect.Portal.Tests.Features.Account;

/// <summary>The antiforgery cookie follows the session cookie's Secure rule, behind a TLS proxy too.</summary>
public sealed class AntiforgeryCookieTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    /// <summary>The Set-Cookie header of the login page's antiforgery cookie, lower case, fetched over plain HTTP from a loopback connection.</summary>
    static async Task<string> AntiforgeryCookieAsync(PortalFactory portal, string? forwardedProto)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = portal.StartOnKestrel() };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/account/login");
        if (forwardedProto is not null)
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        using var response = await client.SendAsync(request);
        return response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal)).ToLowerInvariant();
    }

    [Fact]
    public async Task BehindATrustedTlsProxyTheAntiforgeryCookieIsSecure()
    {
        await using var portal = new PortalFactory(database.ConnectionString, new Dictionary<string, string?> { ["TRUSTED_PROXIES"] = "127.0.0.1" });

        var cookie = await AntiforgeryCookieAsync(portal, "https");

        Assert.Contains("; secure", cookie);
        Assert.Contains("; httponly", cookie);
    }

    [Theory]
    [InlineData("127.0.0.1", null)] // plain HTTP through the proxy
    [InlineData(null, "https")] // a header from a client that is not a trusted proxy
    public async Task OverPlainHttpTheAntiforgeryCookieIsNotSecure(string? trustedProxies, string? forwardedProto)
    {
        await using var portal = new PortalFactory(database.ConnectionString, new Dictionary<string, string?> { ["TRUSTED_PROXIES"] = trustedProxies });

        var cookie = await AntiforgeryCookieAsync(portal, forwardedProto);

        Assert.DoesNotContain("secure", cookie);
    }

    [Fact]
    public async Task WithCookieSecureAlwaysTheFormsStillWorkOverPlainHttp()
    {
        await using var portal = new PortalFactory(database.ConnectionString, new Dictionary<string, string?> { ["COOKIE_SECURE_ALWAYS"] = "true" });
        using var client = AccountHttp.Client(portal);

        using var response = await AccountHttp.PostLoginAsync(client, SignIn.PatientEmail, SignIn.PatientPassword);

        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("; secure", response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(Portal.Features.Account.SignInSetup.CookieName + "=", StringComparison.Ordinal)), StringComparison.OrdinalIgnoreCase);
    }
}
