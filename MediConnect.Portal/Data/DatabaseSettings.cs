using System.Globalization;
using Npgsql;

namespace MediConnect.Portal.Data;

/// <summary>
/// The database settings of BRIEF §4, read from configuration (environment variables,
/// appsettings.json, or any other .NET source) and validated before anything connects.
/// </summary>
public sealed record DatabaseSettings(
    string ConnectionString,
    bool SslVerificationRelaxed,
    TimeSpan SlowQueryThreshold)
{
    /// <summary>
    /// The data source's name, which tags Npgsql's metrics and spans. It names the database so
    /// that several portals in one process (the tests) keep their figures apart.
    /// </summary>
    public string PoolName => $"mediconnect/{new NpgsqlConnectionStringBuilder(ConnectionString).Database}";

    /// <summary>
    /// The live-update listener's own direct connection to PostgreSQL (never from the pool, so it
    /// may bypass a transaction-mode PgBouncer in front of the pool, which cannot hold a LISTEN):
    /// <c>DATABASE_LISTEN_URL</c>, else the main connection with <c>POSTGRES_LISTEN_HOST</c> /
    /// <c>POSTGRES_LISTEN_PORT</c> when set, else the main connection itself.
    /// </summary>
    public string ListenConnectionString { get; init; } = ListenConnection.Of(new NpgsqlConnectionStringBuilder(ConnectionString));

    /// <summary>The connection string with its password removed, for messages and logs.</summary>
    public string SafeDescription => Describe(ConnectionString);

    /// <summary>The listener's connection string with its password removed.</summary>
    public string ListenDescription => Describe(ListenConnectionString);

    static string Describe(string connectionString)
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

        var poolMax = ReadInt(config, "POSTGRES_POOL_MAX", 20, min: 1);
        var poolMin = ReadInt(config, "POSTGRES_POOL_MIN", 2, min: 0);
        if (poolMin > poolMax)
            throw new PortalConfigurationException(
                $"POSTGRES_POOL_MIN ({poolMin}) must not be greater than POSTGRES_POOL_MAX ({poolMax}).");
        builder.MaxPoolSize = poolMax;
        builder.MinPoolSize = poolMin;
        builder.ConnectionIdleLifetime = SecondsFrom(ReadInt(config, "POSTGRES_IDLE_TIMEOUT", 30_000, min: 1_000));
        builder.Timeout = SecondsFrom(ReadInt(config, "POSTGRES_CONNECTION_TIMEOUT", 10_000, min: 1_000));
        builder.ApplicationName ??= "MediConnect Portal";

        var relaxed = ApplySsl(config, builder);
        var slowMs = ReadInt(config, "SLOW_QUERY_THRESHOLD_MS", 1_000, min: 1);

        return new DatabaseSettings(builder.ConnectionString, relaxed, TimeSpan.FromMilliseconds(slowMs))
        {
            ListenConnectionString = ListenConnection.From(config, builder),
        };
    }

    static NpgsqlConnectionStringBuilder BaseConnection(IConfiguration config, string? fallback)
    {
        var url = config["DATABASE_URL"];
        if (!string.IsNullOrWhiteSpace(url))
            return FromUrl(url);

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
        {
            try
            {
                return new NpgsqlConnectionStringBuilder(named);
            }
            catch (ArgumentException)
            {
                throw new PortalConfigurationException("ConnectionStrings:Postgres is not a valid Npgsql connection string.");
            }
        }

        if (fallback is not null)
            return new NpgsqlConnectionStringBuilder(fallback);

        throw new PortalConfigurationException(
            "No database is configured: set DATABASE_URL, or POSTGRES_HOST (with POSTGRES_PORT, POSTGRES_DB, "
            + "POSTGRES_USER, POSTGRES_PASSWORD), or ConnectionStrings:Postgres.");
    }

    /// <summary>Parses <c>postgresql://user:password@host:port/database?sslmode=…</c>. Errors never echo the URL: it holds a password.</summary>
    internal static NpgsqlConnectionStringBuilder FromUrl(string url, string setting = "DATABASE_URL")
    {
        var expected = $"{setting} must look like postgresql://user:password@host:5432/database";
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri)
            || uri.Scheme is not ("postgresql" or "postgres")
            || string.IsNullOrEmpty(uri.Host))
            throw new PortalConfigurationException($"{expected} (the value given is not such a URL).");

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length == 0 || database.Contains('/'))
            throw new PortalConfigurationException($"{expected} (the database name is missing).");

        var userInfo = uri.UserInfo.Split(':', 2);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Database = database,
            Username = userInfo[0].Length > 0 ? Uri.UnescapeDataString(userInfo[0]) : "postgres",
            Password = userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : null,
        };

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = pair.Split('=', 2) switch
            {
                [var k, var v] => (Uri.UnescapeDataString(k), Uri.UnescapeDataString(v)),
                [var k] => (Uri.UnescapeDataString(k), ""),
                _ => ("", ""),
            };
            switch (key.ToLowerInvariant())
            {
                case "sslmode":
                    builder.SslMode = ParseSslMode(value, setting);
                    break;
                case "sslrootcert":
                    builder.RootCertificate = value;
                    break;
                case "application_name":
                    builder.ApplicationName = value;
                    break;
                default:
                    throw new PortalConfigurationException(
                        $"{setting} has an unsupported option '{key}' (supported: sslmode, sslrootcert, application_name).");
            }
        }
        return builder;
    }

    static SslMode ParseSslMode(string value, string setting) => value.ToLowerInvariant() switch
    {
        "disable" => SslMode.Disable,
        "allow" => SslMode.Allow,
        "prefer" => SslMode.Prefer,
        "require" => SslMode.Require,
        "verify-ca" => SslMode.VerifyCA,
        "verify-full" => SslMode.VerifyFull,
        _ => throw new PortalConfigurationException(
            $"{setting} sslmode '{value}' is not one of disable, allow, prefer, require, verify-ca, verify-full."),
    };

    /// <summary>
    /// <c>POSTGRES_SSL=true</c> turns on TLS with the server certificate verified (against
    /// <c>POSTGRES_SSL_CA_FILE</c> when set). Only <c>POSTGRES_SSL_REJECT_UNAUTHORIZED=false</c>
    /// relaxes verification. Returns whether verification was relaxed.
    /// </summary>
    internal static bool ApplySsl(IConfiguration config, NpgsqlConnectionStringBuilder builder)
    {
        var caFile = config["POSTGRES_SSL_CA_FILE"];
        if (!string.IsNullOrWhiteSpace(caFile))
        {
            if (!File.Exists(caFile))
                throw new PortalConfigurationException($"POSTGRES_SSL_CA_FILE points to '{caFile}', which does not exist.");
            builder.RootCertificate = caFile;
        }

        var relaxed = !ReadBool(config, "POSTGRES_SSL_REJECT_UNAUTHORIZED", true);
        if (ReadBool(config, "POSTGRES_SSL", false))
            builder.SslMode = relaxed ? SslMode.Require : SslMode.VerifyFull;
        else if (relaxed && builder.SslMode is SslMode.VerifyCA or SslMode.VerifyFull)
            builder.SslMode = SslMode.Require;

        return relaxed && builder.SslMode is not (SslMode.Disable or SslMode.Allow or SslMode.Prefer);
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
