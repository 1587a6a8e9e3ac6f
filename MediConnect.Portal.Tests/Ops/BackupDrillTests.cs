using MediConnect.Portal.Data;
using MediConnect.Portal.Tests.Fixtures;
using Npgsql;

namespace MediConnect.Portal.Tests.Ops;

/// <summary>ops/backup.sh and ops/restore-drill.sh, run as an operator runs them, on a real database.</summary>
public sealed class BackupDrillTests(TestDatabase database) : IClassFixture<TestDatabase>, IDisposable
{
    readonly string _backups = ExternalProgram.NewFolder("backups");

    string Url
    {
        get
        {
            var c = new NpgsqlConnectionStringBuilder(database.ConnectionString);
            return $"postgresql://{Uri.EscapeDataString(c.Username!)}:{Uri.EscapeDataString(c.Password ?? "")}@{c.Host}:{c.Port}/{c.Database}";
        }
    }

    Task<(int ExitCode, string Output)> RunAsync(string script, params string[] arguments) =>
        ExternalProgram.RunAsync("bash", [Repository.PathOf("ops", script), .. arguments], new Dictionary<string, string>
        {
            ["DATABASE_URL"] = Url,
            ["BACKUP_DIR"] = _backups,
            ["BACKUP_KEEP"] = "2",
            ["PORTAL_DLL"] = Path.Combine(AppContext.BaseDirectory, "MediConnect.Portal.dll"),
        }, timeout: TimeSpan.FromMinutes(3));

    string[] Dumps() => [.. Directory.GetFiles(_backups, "mediconnect-*.dump").Select(Path.GetFileName).Order()!];

    [Fact]
    public async Task TheNewestBackupRestoresWithEveryRowAndOlderOnesBeyondTheRetentionAreDeleted()
    {
        foreach (var old in new[] { "mediconnect-20200101T000000Z", "mediconnect-20200102T000000Z" })
        {
            File.WriteAllText(Path.Combine(_backups, $"{old}.dump"), "old");
            File.WriteAllText(Path.Combine(_backups, $"{old}.counts"), "old");
        }

        var backup = await RunAsync("backup.sh");
        // Written after the dump: the drill compares with the counts of the dump's own snapshot, not with today's table.
        await database.DataSource.ExecuteAsync("INSERT INTO audit_log (action, entity_type) VALUES ('after_backup', 'test')");
        var drill = await RunAsync("restore-drill.sh");

        Assert.True(backup.ExitCode == 0, backup.Output);
        Assert.Equal(2, Dumps().Length);
        Assert.Equal("mediconnect-20200102T000000Z.dump", Dumps()[0]);
        Assert.False(File.Exists(Path.Combine(_backups, "mediconnect-20200101T000000Z.counts")));
        var counts = File.ReadAllLines(Path.Combine(_backups, Dumps()[1].Replace(".dump", ".counts")));
        Assert.Contains(counts, line => line.StartsWith("public.users\t", StringComparison.Ordinal) && !line.EndsWith("\t0", StringComparison.Ordinal));
        Assert.True(drill.ExitCode == 0, drill.Output);
        Assert.Contains("Restore drill passed", drill.Output);
        Assert.Contains("applied  001_initial_schema.sql", drill.Output); // migrate status ran on the copy
        Assert.Empty(await ScratchDatabasesAsync());
    }

    [Fact]
    public async Task ADifferenceInAnyTableFailsTheDrillNamingTheTable()
    {
        var backup = await RunAsync("backup.sh");
        Assert.True(backup.ExitCode == 0, backup.Output);
        var counts = Path.Combine(_backups, Dumps().Single().Replace(".dump", ".counts"));
        // As if the dump had lost rows of one table: the counts taken at backup time say one more.
        File.WriteAllLines(counts, File.ReadAllLines(counts).Select(line =>
            line.StartsWith("public.prescriptions\t", StringComparison.Ordinal) ? $"public.prescriptions\t{long.Parse(line.Split('\t')[1]) + 1}" : line));

        var drill = await RunAsync("restore-drill.sh");

        Assert.NotEqual(0, drill.ExitCode);
        Assert.Contains("DRILL FAILED: row counts", drill.Output);
        Assert.Contains("public.prescriptions", drill.Output);
        Assert.Empty(await ScratchDatabasesAsync());
    }

    [Fact]
    public async Task WithoutABackupTheDrillFailsSayingSo()
    {
        var drill = await RunAsync("restore-drill.sh");

        Assert.NotEqual(0, drill.ExitCode);
        Assert.Contains("No backup to drill", drill.Output);
    }

    /// <summary>Drill databases left on the server (only this class runs drills, one test at a time; the script drops its own).</summary>
    Task<IReadOnlyList<string>> ScratchDatabasesAsync() => database.DataSource.QueryListAsync<string>(
        "SELECT datname FROM pg_database WHERE datname LIKE 'mediconnect\\_drill\\_%'");

    public void Dispose() => Directory.Delete(_backups, recursive: true);
}
