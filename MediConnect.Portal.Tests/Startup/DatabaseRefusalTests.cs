using System.Net;
using System.Net.Sockets;
using MediConnect.Portal.Data;
using MediConnect.Portal.Tests.Fixtures;
using Npgsql;

namespace MediConnect.Portal.Tests.Startup;

/// <summary>
/// The portal started against a PostgreSQL that refuses it (or never answers) keeps serving the
/// "retrying" page and says in one line what is wrong and which setting to fix: no key-ring stack
/// trace, no line per request, never the password. Once the server answers, a pool larger than
/// its <c>max_connections</c> is named.
/// </summary>
public sealed class DatabaseRefusalTests
{
    const string WrongPassword = "hunter2-not-the-password";

    /// <summary>How an operator would configure the tests' real server, with <paramref name="change"/> applied.</summary>
    static async Task<Dictionary<string, string>> SettingsAsync(Action<Dictionary<string, string>> change)
    {
        var server = await PostgresServer.GetAsync();
        var real = new NpgsqlConnectionStringBuilder(await server.CreateMigratedDatabaseAsync());
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["POSTGRES_HOST"] = real.Host!,
            ["POSTGRES_PORT"] = real.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["POSTGRES_DB"] = real.Database!,
            ["POSTGRES_USER"] = real.Username!,
            ["POSTGRES_PASSWORD"] = real.Password ?? "",
            ["POSTGRES_CONNECTION_TIMEOUT"] = "1000",
        };
        change(settings);
        return settings;
    }

    /// <summary>Starts the portal, waits for its one line, asks for pages meanwhile, and returns what it printed.</summary>
    static async Task<string> RefusedStartAsync(Dictionary<string, string> settings)
    {
        await using var portal = PortalProcess.Start(settings);
        await Wait.UntilAsync(() => portal.Output.Contains("cannot reach PostgreSQL", StringComparison.Ordinal), "the refusal line", TimeSpan.FromSeconds(90));
        using var client = new HttpClient { BaseAddress = portal.Address, Timeout = TimeSpan.FromSeconds(30) };
        await Wait.UntilAsync(() => portal.Output.Contains("Application started", StringComparison.Ordinal), "the portal to listen", TimeSpan.FromSeconds(60));
        for (var i = 0; i < 3; i++)
        {
            using var login = await client.GetAsync("/account/login"); // reads the key ring
            Assert.Equal(HttpStatusCode.ServiceUnavailable, login.StatusCode);
            using var health = await client.GetAsync("/health");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        }
        await portal.StopAsync();
        return portal.Output;
    }

    /// <summary>
    /// One refusal, naming the real cause: the same line every time (on a slow machine a later
    /// attempt must not blame a timeout), repeated at most once per calm interval, not per attempt
    /// or request (the lines' own time stamps, [HH:mm:ss], say how far apart they are).
    /// </summary>
    static void AssertOneCalmLine(string output, string expected)
    {
        var lines = output.Split('\n').Where(l => l.Contains("cannot reach PostgreSQL", StringComparison.Ordinal)).ToList();
        Assert.True(lines.Count > 0, output);
        Assert.True(lines.Select(l => l[l.IndexOf(']', StringComparison.Ordinal)..].Trim()).Distinct().Count() == 1, $"one cause, the same in every line:\n{output}");
        var stamps = lines.Select(l => TimeSpan.Parse(l[1..9], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(stamps.Zip(stamps.Skip(1), (a, b) => (b - a + TimeSpan.FromDays(1)).TotalSeconds % 86400).All(gap => gap >= DatabaseStartupCheck.Calm.TotalSeconds - 1),
            $"one line within the calm interval, not one per attempt or request:\n{output}");
        Assert.Contains(expected, lines[0]);
        Assert.DoesNotContain(WrongPassword, output);
        Assert.False(output.Contains("key ring", StringComparison.Ordinal), $"no key-ring error:\n{output}");
        Assert.False(output.Contains("   at ", StringComparison.Ordinal), $"no stack trace:\n{output}");
    }

    [Fact]
    public async Task AWrongPasswordNamesPasswordAuthenticationAndTheSettings()
    {
        var output = await RefusedStartAsync(await SettingsAsync(s => s["POSTGRES_PASSWORD"] = WrongPassword));

        AssertOneCalmLine(output, "': password authentication failed (check POSTGRES_PASSWORD / POSTGRES_USER / DATABASE_URL)");
    }

    [Fact]
    public async Task AnUnknownUserIsRefusedLikeAWrongPasswordWithoutPrintingIt()
    {
        var output = await RefusedStartAsync(await SettingsAsync(s => (s["POSTGRES_USER"], s["POSTGRES_PASSWORD"]) = ("nobody_16b", WrongPassword)));

        AssertOneCalmLine(output, "as 'nobody_16b': password authentication failed (check POSTGRES_PASSWORD / POSTGRES_USER / DATABASE_URL)");
    }

    [Fact]
    public async Task ADatabaseUrlWithoutAPasswordSaysNoneWasGivenWithoutAKeyRingStackTrace()
    {
        var output = await RefusedStartAsync(await SettingsAsync(s =>
        {
            s["DATABASE_URL"] = $"postgresql://{s["POSTGRES_USER"]}@{s["POSTGRES_HOST"]}:{s["POSTGRES_PORT"]}/{s["POSTGRES_DB"]}";
            foreach (var key in new[] { "POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD" })
                s.Remove(key);
        }));

        AssertOneCalmLine(output, "': no password was given, and the server asks for one (check POSTGRES_PASSWORD, or the password in DATABASE_URL");
    }

    [Fact]
    public async Task AnUnknownDatabaseIsNamedWithPostgresDb()
    {
        var output = await RefusedStartAsync(await SettingsAsync(s => s["POSTGRES_DB"] = "no_such_database_16b"));

        AssertOneCalmLine(output, "database \"no_such_database_16b\" does not exist (check POSTGRES_DB / DATABASE_URL)");
    }

    [Fact]
    public async Task TlsRequiredButNotOfferedNamesTheSslSettings()
    {
        var output = await RefusedStartAsync(await SettingsAsync(s => s["POSTGRES_SSL"] = "true"));

        AssertOneCalmLine(output, "TLS failed: ");
        Assert.Contains("(check POSTGRES_SSL / POSTGRES_SSL_CA_FILE / DATABASE_URL's sslmode)", output);
    }

    [Fact]
    public async Task AHostThatNeverAnswersNamesTheTimeoutAndTheAddress()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0); // accepts connections (the kernel does), never says a word
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;

        // A short connection timeout: each request meets it more than once (key ring, session), and
        // at the default 10 s a request could outlast the client's 30 s on a loaded machine.
        var output = await RefusedStartAsync(await SettingsAsync(s =>
        {
            (s["POSTGRES_HOST"], s["POSTGRES_PORT"]) = ("127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            s["POSTGRES_CONNECTION_TIMEOUT"] = "2000";
        }));

        AssertOneCalmLine(output, $"at 127.0.0.1:{port} as '");
        Assert.Contains("no answer before the connection timeout (check POSTGRES_HOST / POSTGRES_PORT / DATABASE_URL, POSTGRES_CONNECTION_TIMEOUT", output);
    }

    [Fact]
    public async Task APoolLargerThanTheServersMaxConnectionsIsNamedWithBothNumbers()
    {
        var settings = await SettingsAsync(s => s["POSTGRES_POOL_MAX"] = "100000");
        await using var portal = PortalProcess.Start(settings);
        await portal.WaitUntilHealthyAsync(TimeSpan.FromSeconds(90));
        await Wait.UntilAsync(() => portal.Output.Contains("is above the server's max_connections", StringComparison.Ordinal), "the pool warning", TimeSpan.FromSeconds(60));

        await using var server = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder { Host = settings["POSTGRES_HOST"], Port = int.Parse(settings["POSTGRES_PORT"], System.Globalization.CultureInfo.InvariantCulture),
            Database = settings["POSTGRES_DB"], Username = settings["POSTGRES_USER"], Password = settings["POSTGRES_PASSWORD"], Pooling = false }.ConnectionString);
        var maxConnections = await server.QueryOneAsync<string>("SHOW max_connections");
        Assert.Contains($"POSTGRES_POOL_MAX=100000 is above the server's max_connections={maxConnections}", portal.Output);
    }

    [Fact]
    public async Task APoolWithinTheServersMaxConnectionsIsNotWarnedAbout()
    {
        await using var portal = PortalProcess.Start(await SettingsAsync(s => s["POSTGRES_POOL_MAX"] = "5"));
        await portal.WaitUntilHealthyAsync(TimeSpan.FromSeconds(90));
        await portal.StopAsync();

        Assert.DoesNotContain("max_connections", portal.Output);
        Assert.DoesNotContain("cannot reach PostgreSQL", portal.Output);
    }
}
