using Npgsql;

namespace MediConnect.Portal.Data;

/// <summary>
/// The connection string of the live-update listener (README, "Live updates"): one unpooled
/// connection straight to PostgreSQL, because a transaction-mode PgBouncer in front of the pool
/// cannot hold a <c>LISTEN</c>.
/// </summary>
static class ListenConnection
{
    /// <summary>
    /// <c>DATABASE_LISTEN_URL</c> when set; else the main connection with <c>POSTGRES_LISTEN_HOST</c> /
    /// <c>POSTGRES_LISTEN_PORT</c> when set; else the main connection itself.
    /// </summary>
    /// <exception cref="PortalConfigurationException">A listen setting is malformed.</exception>
    public static string From(IConfiguration config, NpgsqlConnectionStringBuilder main)
    {
        var url = config["DATABASE_LISTEN_URL"];
        if (!string.IsNullOrWhiteSpace(url))
        {
            var own = DatabaseSettings.FromUrl(url, "DATABASE_LISTEN_URL");
            own.ApplicationName ??= main.ApplicationName;
            own.Timeout = main.Timeout;
            DatabaseSettings.ApplySsl(config, own);
            return Of(own);
        }
        var listen = new NpgsqlConnectionStringBuilder(main.ConnectionString);
        if (!string.IsNullOrWhiteSpace(config["POSTGRES_LISTEN_HOST"]))
            listen.Host = config["POSTGRES_LISTEN_HOST"]!.Trim();
        if (!string.IsNullOrWhiteSpace(config["POSTGRES_LISTEN_PORT"]))
            listen.Port = DatabaseSettings.ReadInt(config, "POSTGRES_LISTEN_PORT", 5432, min: 1, max: 65535);
        return Of(listen);
    }

    /// <summary>The connection unpooled, named so it stands out in pg_stat_activity.</summary>
    public static string Of(NpgsqlConnectionStringBuilder builder) => new NpgsqlConnectionStringBuilder(builder.ConnectionString)
    {
        Pooling = false,
        ApplicationName = $"{builder.ApplicationName ?? "MediConnect Portal"} (live updates)",
    }.ConnectionString;
}
