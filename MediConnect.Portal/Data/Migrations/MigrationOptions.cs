namespace MediConnect.Portal.Data.Migrations;

/// <summary>
/// Where the migration files are (<c>MIGRATIONS_DIR</c> overrides the folder shipped with the
/// build) and whether demo-data migrations apply. Demo data (accounts with published passwords)
/// goes only into the zero-setup cluster of <c>dotnet run</c>, or where <c>SEED_DEMO_DATA=true</c>
/// says so: never because of an environment name (<c>dotnet run</c> forces Development through
/// its launch profile, whatever database it is pointed at).
/// </summary>
public sealed record MigrationOptions(string Folder, bool SeedDemoData = false)
{
    /// <exception cref="PortalConfigurationException">SEED_DEMO_DATA is not a boolean.</exception>
    public static MigrationOptions From(IConfiguration config, bool zeroSetup)
    {
        var configured = config["MIGRATIONS_DIR"];
        var folder = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(AppContext.BaseDirectory, "Database", "migrations")
            : Path.GetFullPath(configured);
        return new MigrationOptions(folder, DatabaseSettings.ReadBool(config, "SEED_DEMO_DATA", zeroSetup));
    }
}
