namespace MediConnect.Portal.Data.Migrations;

/// <summary>Where the migration files are. <c>MIGRATIONS_DIR</c> overrides the folder shipped with the build.</summary>
public sealed record MigrationOptions(string Folder)
{
    public static MigrationOptions From(IConfiguration config)
    {
        var configured = config["MIGRATIONS_DIR"];
        if (!string.IsNullOrWhiteSpace(configured))
            return new MigrationOptions(Path.GetFullPath(configured));
        return new MigrationOptions(Path.Combine(AppContext.BaseDirectory, "Database", "migrations"));
    }
}
