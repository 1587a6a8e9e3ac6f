using System.Net;
using MediConnect.Portal.Data;
using MediConnect.Portal.Tests.Fixtures;

namespace MediConnect.Portal.Tests.Features.Account;

/// <summary>The per-client limit on sign-in POSTs, and who counts as the client.</summary>
public sealed class LoginRateLimitTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    const string Limit = "3";

    PortalFactory Portal(string? trustedProxies = null) => new(database.ConnectionString, new Dictionary<string, string?>
    {
        ["LOGIN_RATE_LIMIT_PER_MINUTE"] = Limit,
        ["TRUSTED_PROXIES"] = trustedProxies,
    });

    Task<long> FailedSignInsAsync(string email) => database.DataSource.QueryOneAsync<long>(
        "SELECT count(*) FROM audit_log WHERE action = 'sign_in_failed' AND new_values->>'email' = @email", new { email });

    /// <summary>A client of a portal served on a real port, so requests come from a real (loopback) connection.</summary>
    static HttpClient KestrelClient(Uri address) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = address };

    static async Task<HttpStatusCode> PostLoginAsync(HttpClient client, Dictionary<string, string> fields, string email, string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>(fields) { ["Input.Email"] = email, ["Input.Password"] = "Guess-123456" }),
        };
        if (forwardedFor is not null)
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task AFloodOfSignInPostsGets429WithAClearPageBeforeAnyPasswordIsChecked()
    {
        await using var portal = Portal();
        using var client = AccountHttp.Client(portal);
        var email = "flood@mediconnect.demo";
        var fields = await AccountHttp.HiddenFieldsAsync(client, "/account/login");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
            statuses.Add(await PostLoginAsync(client, fields, email));
        using var refused = await client.PostAsync("/account/login", new FormUrlEncodedContent(fields));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("Too many sign-in attempts", await refused.Content.ReadAsStringAsync());
        Assert.InRange(refused.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60)); // until the minute ends
        Assert.Equal(3, await FailedSignInsAsync(email)); // the refused POSTs never reached the password check
    }

    [Fact]
    public async Task RotatingXForwardedForValuesDoNotResetTheLimit()
    {
        await using var portal = Portal();
        using var client = KestrelClient(portal.StartOnKestrel());
        var fields = await AccountHttp.HiddenFieldsAsync(client, "/account/login");

        var statuses = new List<HttpStatusCode>();
        for (var i = 1; i <= 6; i++)
            statuses.Add(await PostLoginAsync(client, fields, "rotating@mediconnect.demo", $"198.51.100.{i}"));

        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal([HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses[3..]);
        var addresses = await database.DataSource.QueryListAsync<string>(
            "SELECT DISTINCT ip_address FROM audit_log WHERE new_values->>'email' = 'rotating@mediconnect.demo'");
        Assert.Equal(["127.0.0.1"], addresses); // the forged header is not taken as the client address either
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.0.0.0/8, 127.0.0.0/8")] // networks: load balancers whose addresses change
    public async Task BehindATrustedProxyEachForwardedClientHasItsOwnLimit(string trustedProxies)
    {
        await using var portal = Portal(trustedProxies);
        using var client = KestrelClient(portal.StartOnKestrel());
        var fields = await AccountHttp.HiddenFieldsAsync(client, "/account/login");

        var email = $"proxied-{trustedProxies.Length}@mediconnect.demo";
        await database.DataSource.ExecuteAsync("DELETE FROM login_rate_limits WHERE client_key LIKE '203.0.113.%'"); // the other case's counts
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, await PostLoginAsync(client, fields, email, "203.0.113.1"));
        var sameClient = await PostLoginAsync(client, fields, email, "203.0.113.1");
        var otherClient = await PostLoginAsync(client, fields, email, "203.0.113.2");

        Assert.Equal(HttpStatusCode.TooManyRequests, sameClient);
        Assert.Equal(HttpStatusCode.OK, otherClient);
        var addresses = await database.DataSource.QueryListAsync<string>(
            "SELECT DISTINCT ip_address FROM audit_log WHERE new_values->>'email' = @email ORDER BY 1", new { email });
        Assert.Equal(["203.0.113.1", "203.0.113.2"], addresses);
    }
}
