using System.Net;
using MediConnect.Portal.Data;
using MediConnect.Portal.Security;

namespace MediConnect.Portal.Features.Account;

/// <summary>
/// The sign-in and session rules, from configuration (environment variables or appsettings.json).
/// Every value has a safe default; docs/configuration.md lists them.
/// </summary>
public sealed record SignInSettings
{
    /// <summary>A session with no activity for this long ends (<c>SESSION_IDLE_TIMEOUT_MINUTES</c>, 15).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>A session ends this long after sign-in, whatever the activity (<c>SESSION_ABSOLUTE_TIMEOUT_HOURS</c>, 12).</summary>
    public TimeSpan AbsoluteTimeout { get; init; } = TimeSpan.FromHours(12);

    /// <summary>How long before the idle end an open page warns (<c>SESSION_IDLE_WARNING_SECONDS</c>, 60).</summary>
    public TimeSpan IdleWarning { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Failed sign-ins for one email from one client address, within <see cref="LockoutDuration"/>,
    /// that lock the email for that address (<c>LOGIN_MAX_FAILED_ATTEMPTS</c>, 5; <see cref="SignInLockout"/>).
    /// </summary>
    public int MaxFailedAttempts { get; init; } = 5;

    /// <summary>
    /// Failed sign-ins for one email from all addresses together, within <see cref="LockoutDuration"/>,
    /// that lock it everywhere (<c>LOGIN_ACCOUNT_MAX_FAILED_ATTEMPTS</c>, 50).
    /// </summary>
    public int AccountMaxFailedAttempts { get; init; } = 50;

    /// <summary>How long a lock lasts, and the window failures are counted in (<c>LOGIN_LOCKOUT_MINUTES</c>, 15).</summary>
    public TimeSpan LockoutDuration { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Sign-in POSTs allowed per client address per minute (<c>LOGIN_RATE_LIMIT_PER_MINUTE</c>, 10).</summary>
    public int RateLimitPerMinute { get; init; } = 10;

    /// <summary>BCrypt work factor for new hashes; lower ones are upgraded at sign-in (<c>BCRYPT_WORK_FACTOR</c>, 12).</summary>
    public int BcryptWorkFactor { get; init; } = 12;

    /// <summary>
    /// Reverse proxies whose <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c> are believed
    /// (<c>TRUSTED_PROXIES</c>, comma-separated addresses or networks such as <c>10.0.0.0/16</c>,
    /// for load balancers whose addresses change; none by default: the client address is the
    /// connection's).
    /// </summary>
    public IReadOnlyList<IPNetwork> TrustedProxies { get; init; } = [];

    /// <summary>Mark the session cookie Secure even on plain HTTP requests (<c>COOKIE_SECURE_ALWAYS</c>, false: Secure when the request is HTTPS).</summary>
    public bool CookieSecureAlways { get; init; }

    /// <summary>Show the demo accounts on the login page (<c>SHOW_DEMO_ACCOUNTS</c>, true in Development only).</summary>
    public bool ShowDemoAccounts { get; init; }

    /// <summary>
    /// Roles that must sign in with a second factor (<c>REQUIRE_2FA_FOR</c>, comma-separated roles,
    /// default <c>admin,doctor</c>; <c>none</c> for nobody). Their users set up an authenticator at
    /// their next sign-in, before any page; any user may set one up from the account menu.
    /// </summary>
    public IReadOnlySet<string> RequireTwoFactorFor { get; init; } = new HashSet<string>([Roles.Admin, Roles.Doctor]);

    public bool RequiresTwoFactor(string role) => RequireTwoFactorFor.Contains(role);

    /// <summary>How long the second step of a sign-in (code or set-up) may take after the password was right.</summary>
    public TimeSpan SecondStepTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How often expired session rows are deleted.</summary>
    public TimeSpan CleanupInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often an open page re-reads its session's end (idle warning, revocation).</summary>
    public TimeSpan SessionCheckInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <exception cref="PortalConfigurationException">A setting is malformed or out of range.</exception>
    public static SignInSettings From(IConfiguration config, IHostEnvironment environment) => new()
    {
        IdleTimeout = TimeSpan.FromMinutes(DatabaseSettings.ReadInt(config, "SESSION_IDLE_TIMEOUT_MINUTES", 15, 2, 24 * 60)),
        AbsoluteTimeout = TimeSpan.FromHours(DatabaseSettings.ReadInt(config, "SESSION_ABSOLUTE_TIMEOUT_HOURS", 12, 1, 24 * 30)),
        IdleWarning = TimeSpan.FromSeconds(DatabaseSettings.ReadInt(config, "SESSION_IDLE_WARNING_SECONDS", 60, 10, 600)),
        MaxFailedAttempts = DatabaseSettings.ReadInt(config, "LOGIN_MAX_FAILED_ATTEMPTS", 5, 1, 100),
        AccountMaxFailedAttempts = DatabaseSettings.ReadInt(config, "LOGIN_ACCOUNT_MAX_FAILED_ATTEMPTS", 50, 1, 100_000),
        LockoutDuration = TimeSpan.FromMinutes(DatabaseSettings.ReadInt(config, "LOGIN_LOCKOUT_MINUTES", 15, 1, 24 * 60)),
        RateLimitPerMinute = DatabaseSettings.ReadInt(config, "LOGIN_RATE_LIMIT_PER_MINUTE", 10, 1, 10_000),
        BcryptWorkFactor = DatabaseSettings.ReadInt(config, "BCRYPT_WORK_FACTOR", 12, 12, 16),
        TrustedProxies = ParseProxies(config["TRUSTED_PROXIES"]),
        CookieSecureAlways = DatabaseSettings.ReadBool(config, "COOKIE_SECURE_ALWAYS", false),
        ShowDemoAccounts = DatabaseSettings.ReadBool(config, "SHOW_DEMO_ACCOUNTS", environment.IsDevelopment()),
        RequireTwoFactorFor = ParseRoles(config["REQUIRE_2FA_FOR"]),
    };

    static IReadOnlySet<string> ParseRoles(string? raw)
    {
        if (raw is null)
            return new HashSet<string>([Roles.Admin, Roles.Doctor]);
        var roles = new HashSet<string>();
        foreach (var part in raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var role = part.ToLowerInvariant();
            if (role == "none")
                continue;
            if (!Roles.All.Contains(role))
                throw new PortalConfigurationException(
                    $"REQUIRE_2FA_FOR must list roles ({string.Join(", ", Roles.All)}) separated by commas, or be 'none', but '{part}' is not a role.");
            roles.Add(role);
        }
        return roles;
    }

    static IReadOnlyList<IPNetwork> ParseProxies(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
            return [];
        var proxies = new List<IPNetwork>();
        foreach (var part in raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPAddress.TryParse(part, out var address))
                proxies.Add(new IPNetwork(address, address.GetAddressBytes().Length * 8));
            else if (IPNetwork.TryParse(part, out var network))
                proxies.Add(network);
            else
                throw new PortalConfigurationException(
                    $"TRUSTED_PROXIES must list IP addresses or networks (10.0.0.0/16) separated by commas, but '{part}' is neither.");
        }
        return proxies;
    }
}
