using System.Net.Sockets;
using Npgsql;

namespace MediConnect.Portal.Data;

/// <summary>
/// Why PostgreSQL refused or never answered a connection, in one line an operator can act on:
/// the cause and the setting to fix. Built from the exception and the connection string's host,
/// port and user; never from the password.
/// </summary>
public static class DatabaseRefusal
{
    const string Address = "POSTGRES_HOST / POSTGRES_PORT / DATABASE_URL";

    /// <summary>True when <paramref name="error"/> is the server (or the network) refusing a connection, not a failing command.</summary>
    public static bool IsRefusal(Exception? error) => Cause(error) is not null;

    /// <summary><c>MediConnect Portal cannot reach PostgreSQL at host:port as 'user': cause (check SETTING)</c>.</summary>
    public static string Describe(Exception error, string connectionString)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var (cause, settings) = Cause(error) ?? (Innermost(error).Message, Address);
        return $"MediConnect Portal cannot reach PostgreSQL at {target.Host}:{target.Port} as '{target.Username}': {cause} (check {settings})";
    }

    static (string Cause, string Settings)? Cause(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException { SqlState: PostgresErrorCodes.InvalidPassword }:
                    return ("password authentication failed", "POSTGRES_PASSWORD / POSTGRES_USER / DATABASE_URL");
                case PostgresException { SqlState: PostgresErrorCodes.InvalidCatalogName } p:
                    return (p.MessageText, "POSTGRES_DB / DATABASE_URL");
                case PostgresException { SqlState: PostgresErrorCodes.InvalidAuthorizationSpecification } p when p.MessageText.StartsWith("role ", StringComparison.Ordinal):
                    return (p.MessageText, "POSTGRES_USER / DATABASE_URL");
                case PostgresException { SqlState: PostgresErrorCodes.InvalidAuthorizationSpecification } p:
                    return ($"the server refused the connection: {p.MessageText}", "POSTGRES_SSL / DATABASE_URL's sslmode, and pg_hba.conf on the server");
                case PostgresException { SqlState: PostgresErrorCodes.TooManyConnections } p:
                    return (p.MessageText, "POSTGRES_POOL_MAX against the server's max_connections");
                case PostgresException { SqlState: PostgresErrorCodes.CannotConnectNow } p:
                    return (p.MessageText, "the server: it is starting or shutting down");
                case NpgsqlException n when n is not PostgresException && n.Message.StartsWith("No password has been provided", StringComparison.Ordinal):
                    return ("no password was given, and the server asks for one", "POSTGRES_PASSWORD, or the password in DATABASE_URL (postgresql://user:password@host:5432/database)");
                case NpgsqlException n when n is not PostgresException && n.Message.Contains("SSL", StringComparison.Ordinal):
                    return ($"TLS failed: {n.Message}", "POSTGRES_SSL / POSTGRES_SSL_CA_FILE / DATABASE_URL's sslmode");
                case System.Security.Authentication.AuthenticationException a:
                    return ($"TLS failed: {a.Message}", "POSTGRES_SSL / POSTGRES_SSL_CA_FILE / DATABASE_URL's sslmode");
                case TimeoutException:
                    return ("no answer before the connection timeout", $"{Address}, POSTGRES_CONNECTION_TIMEOUT, and the network between");
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                    return ("connection refused: nothing listens there", Address);
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData }:
                    return ("host name not found", Address);
                case SocketException s:
                    return (s.Message, Address);
            }
        }
        return null;
    }

    static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;
}
