using System.Globalization;
using Npgsql;

namespace MediConnect.Portal.Data;

/// <summary>
/// The database settings of BRIEF §4, read from configuration (environment variables,
/// appsettings.json, or any other .NET source) and validated before anything connects.
/// Beyond one server: <see cref="DirectConnectionString"/> reaches PostgreSQL itself when the
/// main connection goes through PgBouncer, and <see cref="ReadConnectionString"/> names a
/// standby for reads that tolerate replication lag.
/// </summary>
public sealed record DatabaseSettings(
    string ConnectionString,
    bool SslVerificationRelaxed,
    TimeSpan SlowQueryThreshold)
{
    /// <summary>
    /// <c>DATABASE_DIRECT_URL</c>: PostgreSQL itself, bypassing a transaction pooler, for what needs
    /// a session of its own (the migration runner's advisory lock, LISTEN). Null: the main connection.
    /// </summary>
    public string? DirectConnectionString { get; init; }

    /// <summary><c>DATABASE_READ_URL</c> (or <c>ConnectionStrings:PostgresRead</c>): a standby for lag-tolerant reads. Null: none.</summary>
    public string? ReadConnectionString { get; init; }

    /// <summary>How long reads stay on the primary after the standby failed, before it is tried again (<c>DATABASE_READ_RECHECK_SECONDS</c>, 10).</summary>
    public TimeSpan ReadRecheckInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Settings that name the database but lose to <c>DATABASE_URL</c> (logged at start-up as a warning).</summary>
    public IReadOnlyList<string> IgnoredSettings { get; init; } = [];

    /// <summary>The main connection goes through PgBouncer in transaction mode (<c>POSTGRES_PGBOUNCER=true</c> or <c>?pgbouncer=true</c>).</summary>
    public bool ThroughPgBouncer { get; init; }

    /// <summary>
    /// The data source's name, which tags Npgsql's metrics and spans. It names the database so
    /// that several portals in one process (the tests) keep their figures apart.
    /// </summary>
    public string PoolName => $"mediconnect/{new NpgsqlConnectionStringBuilder(ConnectionString).Database}";

    /// <summary>The connection string with its password removed, for messages and logs.</summary>
    public string SafeDescription => Describe(ConnectionString);

    /// <summary><c>user@host:port/database</c> of a connection string: no password, for messages and logs.</summary>
    public static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}";
    }

    /// <summary>True when any of the ways to name a database is set.</summary>
    public static bool IsConfigured(IConfiguration config) =>
        !string.IsNullOrWhiteSpace(config["DATABASE_URL"])
        || !string.IsNullOrWhiteSpace(config["POSTGRES_HOST"])
        || !string.IsNullOrWhiteSpace(config.GetConnectionString("Postgres"));

    /// <summary>
    /// Builds the connection string. <paramref name="fallbackConnectionString"/> is used when no
    /// database is configured (the zero-setup cluster in Development).
    /// </summary>
    /// <exception cref="PortalConfigurationException">A setting is missing or malformed.</exception>
    public static DatabaseSettings From(IConfiguration config, string? fallbackConnectionString = null)
    {
        var builder = BaseConnection(config, fallbackConnectionString);
        var relaxed = Complete(config, builder);
        var throughPgBouncer = ReadBool(config, "POSTGRES_PGBOUNCER", false) || DatabaseUrl.AsksForPgBouncer(config["DATABASE_URL"]);
        // The main pool keeps no session state (advisory locks and LISTEN use the direct data source),
        // so a connection back from the pool needs no DISCARD ALL before its next query.
        builder.NoResetOnClose = true;
        if (throughPgBouncer)
            builder.MaxAutoPrepare = 0; // transaction pooling hands each transaction to any server connection

        var direct = OptionalUrl(config, "DATABASE_DIRECT_URL");
        if (direct is not null)
            direct.MinPoolSize = 0; // used now and then (migrations, /health): no idle connections kept for it
        if (throughPgBouncer && direct is null)
            throw new PortalConfigurationException(
                "The database connection goes through PgBouncer, so DATABASE_DIRECT_URL must name PostgreSQL itself: "
                + "migrations hold a session advisory lock and LISTEN stays on one session, and neither survives transaction pooling.");
        var read = OptionalUrl(config, "DATABASE_READ_URL") ?? OptionalConnectionString(config, "PostgresRead");
        if (read is not null)
            read.Timeout = Math.Min(read.Timeout, 3); // a standby that does not answer soon is skipped, not waited for

        return new DatabaseSettings(builder.ConnectionString, relaxed, TimeSpan.FromMilliseconds(ReadInt(config, "SLOW_QUERY_THRESHOLD_MS", 1_000, min: 1)))
        {
            DirectConnectionString = direct?.ConnectionString,
            ReadConnectionString = read?.ConnectionString,
            ReadRecheckInterval = TimeSpan.FromSeconds(ReadInt(config, "DATABASE_READ_RECHECK_SECONDS", 10, min: 1, max: 3600)),
            ThroughPgBouncer = throughPgBouncer,
            IgnoredSettings = string.IsNullOrWhiteSpace(config["DATABASE_URL"])
                ? []
                : [.. new[] { "POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD" }
                    .Where(key => !string.IsNullOrWhiteSpace(config[key]))],
        };

        NpgsqlConnectionStringBuilder? OptionalUrl(IConfiguration config, string key)
        {
            var url = config[key];
            if (string.IsNullOrWhiteSpace(url))
                return null;
            var extra = DatabaseUrl.Parse(url, key);
            Complete(config, extra);
            return extra;
        }

        NpgsqlConnectionStringBuilder? OptionalConnectionString(IConfiguration config, string name)
        {
            var value = config.GetConnectionString(name);
            if (string.IsNullOrWhiteSpace(value))
                return null;
            var extra = Parse(value, $"ConnectionStrings:{name}");
            Complete(config, extra);
            return extra;
        }
    }

    /// <summary>Pool, timeouts, application name and TLS, the same for every connection the portal makes. Returns whether TLS verification was relaxed.</summary>
    static bool Complete(IConfiguration config, NpgsqlConnectionStringBuilder builder)
    {
        var poolMax = ReadInt(config, "POSTGRES_POOL_MAX", 20, min: 1);
        var poolMin = ReadInt(config, "POSTGRES_POOL_MIN", 2, min: 0);
        if (poolMin > poolMax)
            throw new PortalConfigurationException(
                $"POSTGRES_POOL_MIN ({poolMin}) must not be greater than POSTGRES_POOL_MAX ({poolMax}).");
        builder.MaxPoolSize = poolMax;
        builder.MinPoolSize = poolMin;
        builder.ConnectionIdleLifetime = SecondsFrom(ReadInt(config, "POSTGRES_IDLE_TIMEOUT", 30_000, min: 1_000));
        builder.Timeout = PerHostTimeout(SecondsFrom(ReadInt(config, "POSTGRES_CONNECTION_TIMEOUT", 10_000, min: 1_000)), builder.Host);
        builder.ApplicationName ??= "MediConnect Portal";
        return ApplySsl(config, builder);
    }

    /// <summary>
    /// Npgsql gives every host of a multi-host string the whole timeout, and tries each twice (a new
    /// connection, then a wait for its pool): a primary that never answers cost two hosts 2 × 2 × 10 s
    /// in the worst case, and 20 s was seen. The timeout is shared among those tries instead, so that
    /// opening a connection during a failover gives up within <paramref name="seconds"/> (at least 1 s a try).
    /// </summary>
    static int PerHostTimeout(int seconds, string? host)
    {
        var hosts = host?.Split(',', StringSplitOptions.RemoveEmptyEntries).Length ?? 1;
        return hosts <= 1 ? seconds : Math.Max(1, seconds / (2 * hosts));
    }

    static NpgsqlConnectionStringBuilder BaseConnection(IConfiguration config, string? fallback)
    {
        var url = config["DATABASE_URL"];
        if (!string.IsNullOrWhiteSpace(url))
            return DatabaseUrl.Parse(url, "DATABASE_URL");

        if (!string.IsNullOrWhiteSpace(config["POSTGRES_HOST"]))
        {
            return new NpgsqlConnectionStringBuilder
            {
                Host = config["POSTGRES_HOST"],
                Port = ReadInt(config, "POSTGRES_PORT", 5432, min: 1, max: 65535),
                Database = NonBlankOr(config["POSTGRES_DB"], "mediconnect"),
                Username = NonBlankOr(config["POSTGRES_USER"], "postgres"),
                Password = config["POSTGRES_PASSWORD"],
            };
        }

        var named = config.GetConnectionString("Postgres");
        if (!string.IsNullOrWhiteSpace(named))
            return Parse(named, "ConnectionStrings:Postgres");

        if (fallback is not null)
            return new NpgsqlConnectionStringBuilder(fallback);

        throw new PortalConfigurationException(
            "No database is configured: set DATABASE_URL, or POSTGRES_HOST (with POSTGRES_PORT, POSTGRES_DB, "
            + "POSTGRES_USER, POSTGRES_PASSWORD), or ConnectionStrings:Postgres.");
    }

    static NpgsqlConnectionStringBuilder Parse(string connectionString, string key)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            throw new PortalConfigurationException($"{key} is not a valid Npgsql connection string.");
        }
        // Npgsql refuses this only when the data source is built, with a stack trace.
        if (builder.TargetSessionAttributes is { } attributes && !attributes.Equals("any", StringComparison.OrdinalIgnoreCase)
            && builder.Host?.Contains(',', StringComparison.Ordinal) != true)
            throw new PortalConfigurationException(
                $"{key} sets Target Session Attributes={attributes} with a single host, which Npgsql accepts only with several "
                + "(Host=primary.example,standby.example): list every server in Host, or remove Target Session Attributes.");
        return builder;
    }

    /// <summary>
    /// <c>POSTGRES_SSL=true</c> turns on TLS with the server certificate verified (against
    /// <c>POSTGRES_SSL_CA_FILE</c> when set). Only <c>POSTGRES_SSL_REJECT_UNAUTHORIZED=false</c>
    /// relaxes verification. Returns whether verification was relaxed.
    /// </summary>
    static bool ApplySsl(IConfiguration config, NpgsqlConnectionStringBuilder builder)
    {
        var ssl = ReadBool(config, "POSTGRES_SSL", false);
        var caFile = config["POSTGRES_SSL_CA_FILE"];
        if (!string.IsNullOrWhiteSpace(caFile))
        {
            if (!File.Exists(caFile))
                throw new PortalConfigurationException($"POSTGRES_SSL_CA_FILE points to '{caFile}', which does not exist.");
            if (!HoldsCertificate(caFile))
                throw new PortalConfigurationException($"POSTGRES_SSL_CA_FILE points to '{caFile}', which holds no PEM certificate (-----BEGIN CERTIFICATE-----).");
            // A CA file asks for verified TLS: it implies POSTGRES_SSL=true, and contradicts an explicit false.
            if (!string.IsNullOrWhiteSpace(config["POSTGRES_SSL"]) && !ssl)
                throw new PortalConfigurationException(
                    "POSTGRES_SSL_CA_FILE is set but POSTGRES_SSL=false: a CA file is only used to verify TLS. Remove POSTGRES_SSL=false or the CA file.");
            builder.RootCertificate = caFile;
            ssl = true;
        }

        var relaxed = !ReadBool(config, "POSTGRES_SSL_REJECT_UNAUTHORIZED", true);
        if (ssl)
            builder.SslMode = relaxed ? SslMode.Require : SslMode.VerifyFull;
        else if (relaxed && builder.SslMode is SslMode.VerifyCA or SslMode.VerifyFull)
            builder.SslMode = SslMode.Require;

        return relaxed && builder.SslMode is not (SslMode.Disable or SslMode.Allow or SslMode.Prefer);
    }

    static bool HoldsCertificate(string file)
    {
        try
        {
            var certificates = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
            certificates.ImportFromPemFile(file);
            return certificates.Count > 0;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }

    internal static int ReadInt(IConfiguration config, string key, int fallback, int min, int max = int.MaxValue)
    {
        var raw = config[key];
        if (string.IsNullOrWhiteSpace(raw))
            return fallback;
        if (!int.TryParse(raw.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            throw new PortalConfigurationException($"{key} must be a whole number, but is '{raw}'.");
        if (value < min || value > max)
            throw new PortalConfigurationException(max == int.MaxValue
                ? $"{key} must be at least {min}, but is {value}."
                : $"{key} must be between {min} and {max}, but is {value}.");
        return value;
    }

    internal static bool ReadBool(IConfiguration config, string key, bool fallback)
    {
        var raw = config[key];
        if (string.IsNullOrWhiteSpace(raw))
            return fallback;
        return raw.Trim().ToLowerInvariant() switch
        {
            "true" or "1" or "yes" => true,
            "false" or "0" or "no" => false,
            _ => throw new PortalConfigurationException($"{key} must be true or false, but is '{raw}'."),
        };
    }

    static int SecondsFrom(int milliseconds) => (int)Math.Ceiling(milliseconds / 1000.0);

    static string NonBlankOr(string? value, string fallback) => string.IsNullOrWhiteSpace(value) ? fallback : value;
}

/// <summary>A setting is missing or malformed: start-up stops with this one-line message.</summary>
public sealed class PortalConfigurationException(string message) : Exception(message);
