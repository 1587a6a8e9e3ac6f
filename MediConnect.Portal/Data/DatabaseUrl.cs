using Npgsql;

namespace MediConnect.Portal.Data;

/// <summary>
/// The <c>postgresql://user:password@host:port/database?option=…</c> form of the database
/// settings (<c>DATABASE_URL</c>, <c>DATABASE_DIRECT_URL</c>, <c>DATABASE_READ_URL</c>), as the
/// original Node tool and the hosting platforms write it.
/// </summary>
public static class DatabaseUrl
{
    /// <summary>
    /// Parses <c>postgresql://user:password@host:port/database?sslmode=…</c> given in setting
    /// <paramref name="key"/>. Errors never echo the URL: it holds a password.
    /// </summary>
    public static NpgsqlConnectionStringBuilder Parse(string url, string key)
    {
        var expected = $"{key} must look like postgresql://user:password@host:5432/database";
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
            var (option, value) = pair.Split('=', 2) switch
            {
                [var k, var v] => (Uri.UnescapeDataString(k), Uri.UnescapeDataString(v)),
                [var k] => (Uri.UnescapeDataString(k), ""),
                _ => ("", ""),
            };
            switch (option.ToLowerInvariant())
            {
                case "sslmode":
                    builder.SslMode = ParseSslMode(value, key);
                    break;
                case "sslrootcert":
                    builder.RootCertificate = value;
                    break;
                case "application_name":
                    builder.ApplicationName = value;
                    break;
                case "pgbouncer":
                    break; // read by From: it changes how the connection is used, not where it goes
                default:
                    throw new PortalConfigurationException(
                        $"{key} has an unsupported option '{option}' (supported: sslmode, sslrootcert, application_name, pgbouncer).");
            }
        }
        return builder;
    }

    static SslMode ParseSslMode(string value, string key) => value.ToLowerInvariant() switch
    {
        "disable" => SslMode.Disable,
        "allow" => SslMode.Allow,
        "prefer" => SslMode.Prefer,
        "require" => SslMode.Require,
        "verify-ca" => SslMode.VerifyCA,
        "verify-full" => SslMode.VerifyFull,
        _ => throw new PortalConfigurationException(
            $"{key} sslmode '{value}' is not one of disable, allow, prefer, require, verify-ca, verify-full."),
    };

    /// <summary>True when the URL carries <c>pgbouncer=true</c> (the Prisma-style flag).</summary>
    public static bool AsksForPgBouncer(string? url) =>
        !string.IsNullOrWhiteSpace(url) && Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri)
        && uri.Query.TrimStart('?').Split('&').Any(pair => pair.Equals("pgbouncer=true", StringComparison.OrdinalIgnoreCase));
}
