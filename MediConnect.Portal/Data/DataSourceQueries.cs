using System.Data;
using Dapper;
using Npgsql;

namespace MediConnect.Portal.Data;

/// <summary>
/// The query helpers every service uses: each opens a short-lived pooled connection from the
/// shared data source. Columns map to PascalCase records by name (snake_case allowed).
/// </summary>
public static class DataSourceQueries
{
    /// <summary>
    /// A pooled connection. When a multi-host data source (<c>Host=a,b;Target Session Attributes=primary</c>)
    /// finds no host in the wanted state, as during a failover, it forgets what it knew of every host:
    /// Npgsql would otherwise trust the standby's state for <c>Host Recheck Seconds</c> and refuse the
    /// next request after the promotion too. The next connection asks every host afresh.
    /// </summary>
    public static async Task<NpgsqlConnection> OpenAsync(this NpgsqlDataSource db, CancellationToken ct = default)
    {
        try
        {
            return await db.OpenConnectionAsync(ct);
        }
        catch (NpgsqlException e) when (db is NpgsqlMultiHostDataSource hosts && DatabaseOutage.Classify(e) is OutageKind.Unreachable)
        {
            hosts.ClearDatabaseStates();
            throw;
        }
    }

    /// <summary>The single row the query returns, or null when it returns none.</summary>
    public static async Task<T?> QueryOneAsync<T>(this NpgsqlDataSource db, string sql, object? args = null, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<T>(new CommandDefinition(sql, args, cancellationToken: ct));
    }

    public static async Task<IReadOnlyList<T>> QueryListAsync<T>(this NpgsqlDataSource db, string sql, object? args = null, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return [.. await connection.QueryAsync<T>(new CommandDefinition(sql, args, cancellationToken: ct))];
    }

    /// <summary>Runs an <c>INSERT … RETURNING</c> and returns the returned row (or value).</summary>
    public static async Task<T> InsertReturningAsync<T>(this NpgsqlDataSource db, string sql, object? args = null, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleAsync<T>(new CommandDefinition(sql, args, cancellationToken: ct));
    }

    /// <summary>Runs a statement and returns the number of rows it affected.</summary>
    public static async Task<int> ExecuteAsync(this NpgsqlDataSource db, string sql, object? args = null, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(sql, args, cancellationToken: ct));
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction: committed when it returns, rolled back
    /// when it throws, so a failed write leaves the database as it was.
    /// </summary>
    public static async Task<T> InTransactionAsync<T>(
        this NpgsqlDataSource db,
        Func<DbTransactionScope, Task<T>> work,
        IsolationLevel isolation = IsolationLevel.ReadCommitted,
        CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(isolation, ct);
        var result = await work(new DbTransactionScope(transaction, ct));
        await transaction.CommitAsync(ct);
        return result;
    }

    public static Task InTransactionAsync(
        this NpgsqlDataSource db,
        Func<DbTransactionScope, Task> work,
        IsolationLevel isolation = IsolationLevel.ReadCommitted,
        CancellationToken ct = default) =>
        db.InTransactionAsync(async tx => { await work(tx); return true; }, isolation, ct);
}

/// <summary>The same helpers inside one open transaction; every call joins it.</summary>
public sealed class DbTransactionScope(NpgsqlTransaction transaction, CancellationToken ct)
{
    NpgsqlConnection Connection => transaction.Connection!;

    CommandDefinition Command(string sql, object? args) => new(sql, args, transaction, cancellationToken: ct);

    public Task<T?> QueryOneAsync<T>(string sql, object? args = null) =>
        Connection.QuerySingleOrDefaultAsync<T>(Command(sql, args));

    public async Task<IReadOnlyList<T>> QueryListAsync<T>(string sql, object? args = null) =>
        [.. await Connection.QueryAsync<T>(Command(sql, args))];

    public Task<T> InsertReturningAsync<T>(string sql, object? args = null) =>
        Connection.QuerySingleAsync<T>(Command(sql, args));

    public Task<int> ExecuteAsync(string sql, object? args = null) =>
        Connection.ExecuteAsync(Command(sql, args));
}
