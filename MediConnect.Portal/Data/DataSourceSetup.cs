using Npgsql;

namespace MediConnect.Portal.Data;

public static class DataSourceSetup
{
    /// <summary>
    /// Registers the one <see cref="NpgsqlDataSource"/> of the portal, the direct connections
    /// that bypass PgBouncer (<see cref="DirectDataSource"/>), the standby reads
    /// (<see cref="LagTolerantReads"/>), the pool statistics and the slow-query log. In
    /// Development with no database configured, starts the zero-setup cluster first.
    /// </summary>
    /// <exception cref="PortalConfigurationException">A database setting is missing or malformed.</exception>
    public static IHostApplicationBuilder AddPortalDatabase(this IHostApplicationBuilder builder)
    {
        DapperConventions.Apply();

        ZeroSetupDatabase? zeroSetup = null;
        if (!DatabaseSettings.IsConfigured(builder.Configuration) && builder.Environment.IsDevelopment())
            zeroSetup = ZeroSetupDatabase.Start(builder.Configuration, builder.Environment);

        var settings = DatabaseSettings.From(builder.Configuration, zeroSetup?.ConnectionString);
        builder.Services.AddSingleton(settings);
        if (zeroSetup is not null)
            builder.Services.AddSingleton(zeroSetup);

        builder.Services.AddNpgsqlDataSource(settings.ConnectionString, dataSource => dataSource.Name = settings.PoolName);
        builder.Services.AddSingleton<DirectDataSource>();
        builder.Services.AddSingleton(services => LagTolerantReads.FromSettings(services.GetRequiredService<NpgsqlDataSource>(), settings,
            services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILogger<LagTolerantReads>>()));
        builder.Services.AddSingleton<PoolStatistics>();
        builder.Services.AddSingleton<SlowQueryLog>();
        builder.Services.AddSingleton<DatabaseProbe>();
        builder.Services.AddHostedService<DatabaseStartupCheck>();
        return builder;
    }
}
