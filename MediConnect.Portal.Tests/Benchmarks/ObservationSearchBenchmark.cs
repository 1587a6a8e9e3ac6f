using System.Diagnostics;
using System.Globalization;
using static MediConnect.Portal.Tests.Benchmarks.Timing;
using System.Text;
using Hl7.Fhir.Model;
using MediConnect.Portal.Data;
using MediConnect.Portal.Tests.Features.Fhir;
using MediConnect.Portal.Tests.Fixtures;
using Task = System.Threading.Tasks.Task;

namespace MediConnect.Portal.Tests.Benchmarks;

/// <summary>
/// Measures (never asserts) FHIR Observation searches for a patient with 5,000 vital-sign readings,
/// over real HTTP against the portal on Kestrel: token check, access rules, audit row and
/// serialization included. Skipped unless MEDICONNECT_BENCH=1 (see bench.sh); the figures go to the
/// test output and to MEDICONNECT_BENCH_OUT (default /tmp/mediconnect-bench.txt, appended).
/// </summary>
public sealed class ObservationSearchBenchmark
{
    const int Readings = 5_000;

    [Fact]
    public async Task MeasureObservationSearchesForAPatientWithFiveThousandReadings()
    {
        Assert.SkipUnless(Environment.GetEnvironmentVariable("MEDICONNECT_BENCH") == "1", "Benchmark: run ./bench.sh (MEDICONNECT_BENCH=1).");
        await using var fhir = new FhirPortal();
        await fhir.InitializeAsync();
        var insert = Stopwatch.StartNew();
        var (patient, observations) = await SeedAsync(fhir.Database);
        insert.Stop();
        using var client = fhir.Client(await fhir.TokenAsync("dr.bench@mediconnect.demo"));

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture,
            $"FHIR Observation search, patient with {Readings:N0} readings = {observations:N0} Observations (seeded in {insert.ElapsedMilliseconds} ms); HTTP on loopback, 2-core machine, PostgreSQL 15, median / p95 of 30 runs after 3 warm-ups.");
        var since = DateTime.Now.AddDays(-90).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var searches = new (string Name, string Path)[]
        {
            ("patient, first page of 50, newest first", $"Observation?patient={patient}&_count=50"),
            ("patient + code 8867-4 + date ge 90 days ago, 50", $"Observation?patient={patient}&code=http://loinc.org|8867-4&date=ge{since}&_count=50"),
            ("patient + blood pressure panel, 100", $"Observation?patient={patient}&code=85354-9&_count=100"),
            ("patient, oldest first (_sort=date), 50", $"Observation?patient={patient}&_sort=date&_count=50"),
            ("doctor's whole care team, no patient, 50", "Observation?_count=50"),
        };
        foreach (var (name, path) in searches)
            report.AppendLine(CultureInfo.InvariantCulture, $"  {name,-52} {Format(await TimeAsync(() => GetAsync(client, path)))}");

        var deep = await PageLinkAsync(client, $"Observation?patient={patient}&_count=50", pages: 200);
        report.AppendLine(CultureInfo.InvariantCulture, $"  {"page 200 of the first search (next link, keyset)",-52} {Format(await TimeAsync(() => GetAsync(client, deep)))}");

        var total = 0;
        var all = await TimeAsync(async () => total = await FollowAllAsync(client, $"Observation?patient={patient}&code=8867-4&_count=500"), runs: 5);
        report.AppendLine(CultureInfo.InvariantCulture, $"  {$"every heart rate, {total:N0} in pages of 500 (whole walk)",-52} {Format(all)}  (5 runs)");

        var text = report.ToString();
        Xunit.TestContext.Current.SendDiagnosticMessage(text);
        await File.AppendAllTextAsync(Environment.GetEnvironmentVariable("MEDICONNECT_BENCH_OUT") ?? "/tmp/mediconnect-bench.txt", text);
    }

    /// <summary>A doctor and a patient of theirs with 5,000 readings over ~7 years, every fifth with all measures.</summary>
    static async Task<(int Patient, long Observations)> SeedAsync(TestDatabase database)
    {
        var db = database.DataSource;
        var ids = await db.InsertReturningAsync<(int Doctor, int Patient)>(
            """
            WITH doctor AS (
                INSERT INTO users (email, password, role, name, specialization)
                SELECT 'dr.bench@mediconnect.demo', password, 'doctor', 'Dr. Ben Mark', 'Cardiology' FROM users WHERE email = 'dr.smith@mediconnect.demo'
                RETURNING id),
            patient AS (
                INSERT INTO users (email, password, role, name)
                SELECT 'pat.bench@mediconnect.demo', password, 'patient', 'Pat Bench' FROM users WHERE email = 'john.doe@mediconnect.demo'
                RETURNING id)
            SELECT doctor.id, patient.id FROM doctor, patient
            """);
        return (ids.Patient, await db.QueryOneAsync<long>(
            """
            INSERT INTO patients (user_id, date_of_birth, gender) VALUES (@Patient, DATE '1970-01-01', 'Female');
            INSERT INTO appointments (patient_id, doctor_id, appointment_date, appointment_time, status)
            VALUES (@Patient, @Doctor, CURRENT_DATE - 30, TIME '09:00', 'completed');
            INSERT INTO vital_signs (patient_id, heart_rate, blood_pressure, oxygen_saturation, temperature, respiratory_rate, weight, height, glucose_level, recorded_at, device_source)
            SELECT p.id, 60 + i % 40, (110 + i % 40) || '/' || (70 + i % 20), 94 + i % 6,
                   CASE WHEN i % 5 = 0 THEN 36.5 + (i % 10) / 10.0 END, CASE WHEN i % 5 = 0 THEN 12 + i % 8 END,
                   CASE WHEN i % 5 = 0 THEN 70 + (i % 50) / 10.0 END, CASE WHEN i % 5 = 0 THEN 170 END, CASE WHEN i % 5 = 0 THEN 80 + i % 90 END,
                   now() - make_interval(hours => 12 * i), CASE WHEN i % 5 = 0 THEN 'Manual Entry' ELSE 'Omron BP Monitor' END
            FROM generate_series(1, @Readings) AS i, patients p WHERE p.user_id = @Patient;
            ANALYZE vital_signs;
            SELECT count(*) * 3 + count(temperature) * 5 FROM vital_signs v JOIN patients p ON p.id = v.patient_id WHERE p.user_id = @Patient;
            """, new { ids.Patient, ids.Doctor, Readings }));
    }

    static async Task GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    }

    static async Task<string> PageLinkAsync(HttpClient client, string path, int pages)
    {
        var next = path;
        for (var i = 1; i < pages; i++)
            next = ((Bundle)(await FhirPortal.GetAsync(client, next)).Resource).NextLink!.ToString();
        return next;
    }

    static async Task<int> FollowAllAsync(HttpClient client, string path)
    {
        var count = 0;
        for (string? next = path; next is not null;)
        {
            var bundle = (Bundle)(await FhirPortal.GetAsync(client, next)).Resource;
            count += bundle.Entry.Count;
            next = bundle.NextLink?.ToString();
        }
        return count;
    }
}
