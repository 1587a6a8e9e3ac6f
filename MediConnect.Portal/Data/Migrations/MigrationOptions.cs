namespace MediConnect.Portal.Data.Migrations;

/// <summary>
/// Where the migration files are (<c>MIGRATIONS_DIR</c> overrides the folder shipped with the
/// build) and whether demo-data migrations apply (<c>SEED_DEMO_DATA</c>; when it is not set,
/// <see cref="SeedDemoData"/> is null and they apply in Development only).
/// </summary>
public sealed record MigrationOptions(string Folder, bool? SeedDemoData = null)
{
    /// <exception cref="PortalConfigurationException">SEED_DEMO_DATA is not a boolean.</exception>
    public static MigrationOptions From(IConfiguration config)
    {
        var seed = string.IsNullOrWhiteSpace(config["SEED_DEMO_DATA"]) ? (bool?)null : DatabaseSettings.ReadBool(config, "SEED_DEMO_DATA", false);
        var configured = config["MIGRATIONS_DIR"];
        var folder = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(AppContext.BaseDirectory, "Database", "migrations")
            : Path.GetFullPath(configured);
        return new MigrationOptions(folder, seed);
    }
}
