using System.Diagnostics;
using MediConnect.Portal.Benchmarks.Pages;
using MediConnect.Portal.Data;
using MediConnect.Portal.Tests.Fixtures;
using Npgsql;

namespace MediConnect.Portal.Tests.Benchmarks;

/// <summary>
/// The benchmark (./bench.sh) stays in step with the portal: its data set applies on the real
/// migrations with every constraint and trigger in force, and every page it measures runs through
/// the services on that data and, recorded, as a pgbench script that pgbench runs. Nothing is timed.
/// </summary>
public sealed class ScaleDataSetTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    static readonly SemaphoreSlim Seeding = new(1, 1);

    [Fact]
    public async Task TheSeedGivesEveryDoctorAndPatientTheSameShapeAtAThousandthScale()
    {
        var shape = await SeedAsync();

        var perDoctor = await database.DataSource.QueryListAsync<(long Appointments, long Patients, long Future, long Live)>("""
            SELECT count(*), count(DISTINCT patient_id), count(*) FILTER (WHERE appointment_date > CURRENT_DATE),
                   count(*) FILTER (WHERE status NOT IN ('cancelled', 'no_show'))
            FROM appointments WHERE doctor_id >= @first GROUP BY doctor_id
            """, new { first = shape.FirstDoctor });
        var device = await database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM vital_signs v JOIN patients p ON p.id = v.patient_id WHERE p.user_id = @first",
            new { first = shape.FirstPatientUser });
        // The seed's own rows (its browser): the other test here writes audit rows through the services.
        var audit = await database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM audit_log WHERE user_agent = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0'");

        Assert.Equal((1, 500), (shape.Doctors, shape.Patients));
        var doctor = Assert.Single(perDoctor);
        Assert.Equal((5000, 500), (doctor.Appointments, doctor.Patients));
        Assert.InRange(doctor.Future, 900, 1000);
        Assert.InRange(doctor.Live, 4000, 5000);
        Assert.Equal(4 * 365, device); // patient 0 syncs a watch: four readings a day for a year
        Assert.Equal(20 * shape.Patients, audit);
    }

    [Fact]
    public async Task EveryBenchmarkedPageRunsThroughTheServicesAndAsAPgbenchScript()
    {
        var shape = await SeedAsync();
        var pgbench = Path.Combine(LocalPostgresCluster.FindBinDirectory(), "pgbench");
        var folder = Directory.CreateTempSubdirectory("pgbench-").FullName;
        var script = Path.Combine(folder, "page.pgbench");
        await using var recorder = new CommandRecorder(database.ConnectionString);

        foreach (var page in PageLoad.All.Append(PageLoad.DoctorHomeRender))
        {
            var ids = shape.Ids(shape.PickPatient(new Random(7), page.DevicePatient));
            var commands = await recorder.RecordAsync(page, shape, ids);
            await File.WriteAllTextAsync(script, CapturedCommands.PgbenchScript(commands, shape, page, ids));

            Assert.NotEmpty(commands);
            Assert.Contains("processed: 1/1", await Pgbench.CheckAsync(pgbench, database.ConnectionString, script));
        }
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>Seeds this class's database once, at scale 0.001 (one doctor, 500 patients), with psql as ./bench.sh does.</summary>
    async Task<Shape> SeedAsync()
    {
        await Seeding.WaitAsync();
        try
        {
            if (!await database.DataSource.QueryOneAsync<bool>("SELECT to_regclass('bench.shape') IS NOT NULL"))
            {
                var target = new NpgsqlConnectionStringBuilder(database.ConnectionString);
                var psql = new ProcessStartInfo(Path.Combine(LocalPostgresCluster.FindBinDirectory(), "psql"))
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                };
                foreach (var argument in new[] { "-X", "-q", "-h", target.Host!, "-p", $"{target.Port}", "-U", target.Username!, "-d", target.Database!,
                                                 "-v", "scale=0.001", "-f", Path.Combine(AppContext.BaseDirectory, "Seed", "scale.sql") })
                    psql.ArgumentList.Add(argument);
                psql.Environment["PGPASSWORD"] = target.Password;
                using var process = Process.Start(psql)!;
                var output = process.StandardOutput.ReadToEndAsync();
                var errors = await process.StandardError.ReadToEndAsync();
                await process.WaitForExitAsync();
                Assert.True(process.ExitCode == 0, $"The scale seed failed: {errors}{await output}");
            }
            return await Shape.ReadAsync(database.ConnectionString);
        }
        finally
        {
            Seeding.Release();
        }
    }
}
