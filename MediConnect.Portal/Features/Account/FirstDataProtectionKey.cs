using MediConnect.Portal.Data;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Npgsql;

namespace MediConnect.Portal.Features.Account;

/// <summary>
/// Creates the first Data Protection key of an empty key ring once, however many instances start
/// together. Left to itself every instance that finds no key makes its own and keeps using it, so
/// a cookie or form token from one instance is refused by another until their key rings refresh
/// (up to a day later). Under a PostgreSQL advisory lock the first instance creates the key and
/// the others find it.
/// </summary>
public sealed class FirstDataProtectionKey(NpgsqlDataSource db, IKeyManager keys, TimeProvider time, ILogger<FirstDataProtectionKey> logger)
{
    // Any constant unique to this lock among the portal's advisory locks.
    const long LockKey = 0x4D43_4450_4B45_5901; // "MCDPKEY"

    /// <exception cref="PortalConfigurationException">The database answers but has no key table: it was never migrated.</exception>
    public async Task EnsureAsync(CancellationToken ct = default)
    {
        try
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection))
            {
                take.Parameters.AddWithValue("key", LockKey);
                await take.ExecuteNonQueryAsync(ct);
            }
            try
            {
                var now = time.GetUtcNow();
                if (!keys.GetAllKeys().Any(k => !k.IsRevoked && k.ExpirationDate > now))
                {
                    keys.CreateNewKey(now, now.AddDays(90));
                    logger.LogInformation("Created the first Data Protection key of the key ring");
                }
            }
            finally
            {
                await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
                release.Parameters.AddWithValue("key", LockKey);
                await release.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            throw new PortalConfigurationException(
                $"The database {DatabaseSettings.Describe(db.ConnectionString)} answers but is not migrated (it has no table "
                + "data_protection_keys): apply the migrations first with `dotnet MediConnect.Portal.dll migrate run` (or `dotnet run "
                + "--project MediConnect.Portal -- migrate run` from the repository), or set MIGRATE_ON_STARTUP=true to migrate at start-up.");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            // The database is not reachable yet: the key ring makes its key on first use, as without this step.
            // An outage is named once by DatabaseStartupCheck; a line here would only repeat it.
            logger.Log(DatabaseOutage.Classify(e) is null ? LogLevel.Warning : LogLevel.Debug,
                "Could not check the Data Protection key ring at start-up: {Error}", e.Message);
        }
    }
}
