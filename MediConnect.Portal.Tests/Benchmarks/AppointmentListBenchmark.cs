using System.Diagnostics;
using System.Globalization;
using static MediConnect.Portal.Tests.Benchmarks.Timing;
using System.Text;
using Bunit;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Doctor.Appointments;
using MediConnect.Portal.Features.Doctor.Home;
using MediConnect.Portal.Tests.Features.Doctor;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace MediConnect.Portal.Tests.Benchmarks;

/// <summary>
/// Measures (never asserts) how long the doctor's appointments page takes for a doctor with
/// 10,000 appointments: the paged list query through the service, and the whole /doctor page
/// rendered with bUnit over the real services. Skipped unless MEDICONNECT_BENCH=1 (see bench.sh);
/// the figures go to the test output and to MEDICONNECT_BENCH_OUT (default /tmp/mediconnect-bench.txt).
/// </summary>
public sealed class AppointmentListBenchmark(TestDatabase database) : DatabaseComponentTest(database), IClassFixture<TestDatabase>
{
    const string BenchDoctor = "dr.bench@mediconnect.demo";
    const int Appointments = 10_000;

    [Fact]
    public async Task MeasureTheAppointmentsPageForADoctorWithTenThousandAppointments()
    {
        Assert.SkipUnless(Environment.GetEnvironmentVariable("MEDICONNECT_BENCH") == "1", "Benchmark: run ./bench.sh (MEDICONNECT_BENCH=1).");
        var insert = Stopwatch.StartNew();
        await SeedAsync();
        insert.Stop();
        await SignInAsync(BenchDoctor);
        var service = Services.GetRequiredService<DoctorAppointments>();

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Doctor with {Appointments:N0} appointments (inserted in {insert.ElapsedMilliseconds} ms); 2-core machine, PostgreSQL 15, median / p95 of 30 runs after 3 warm-ups.");
        var today = DateOnly.FromDateTime(DateTime.Now);
        var queries = new (string Name, AppointmentQuery Query)[]
        {
            ("Upcoming, first page of 25 (the default view)", new AppointmentQuery()),
            ("Past, first page of 25, newest first", new AppointmentQuery(AppointmentScope.Past, Descending: true)),
            ("All, last page of 25 (offset 9,975)", new AppointmentQuery(AppointmentScope.All, Page: Appointments / 25 - 1)),
            ("All, status completed + patient name 'doe'", new AppointmentQuery(AppointmentScope.All, Statuses: ["completed"], PatientName: "doe")),
            ("All, sorted by patient name, page 100", new AppointmentQuery(AppointmentScope.All, Sort: AppointmentSort.PatientName, Page: 100)),
            ("Past, last 90 days", new AppointmentQuery(AppointmentScope.Past, From: today.AddDays(-90), Descending: true)),
        };
        foreach (var (name, query) in queries)
        {
            var total = 0;
            var times = await TimeAsync(async () => total = (await service.ListAsync(query)).TotalCount);
            report.AppendLine(CultureInfo.InvariantCulture, $"  ListAsync  {name,-48} {Format(times)}  ({total:N0} matching)");
        }
        report.AppendLine(CultureInfo.InvariantCulture, $"  TodayCountsAsync{"",-43} {Format(await TimeAsync(() => service.TodayCountsAsync()))}");
        report.AppendLine(CultureInfo.InvariantCulture, $"  AgendaAsync (one week){"",-37} {Format(await TimeAsync(() => service.AgendaAsync(today, today.AddDays(6))))}");

        var render = await TimeAsync(async () =>
        {
            var page = Render<DoctorHome>();
            await page.WaitForAssertionAsync(() => Assert.Equal(25, page.FindAll("#appointment-table tbody tr.mud-table-row").Count), TimeSpan.FromSeconds(30));
            await page.WaitForAssertionAsync(() => Assert.Contains("Today:", page.Find("#today-counts").TextContent));
        }, runs: 10);
        report.AppendLine(CultureInfo.InvariantCulture, $"  Whole /doctor page rendered (bUnit, counts + first 25 rows){"",-1} {Format(render)}  (10 runs)");

        var text = report.ToString();
        Xunit.TestContext.Current.SendDiagnosticMessage(text);
        await File.WriteAllTextAsync(Environment.GetEnvironmentVariable("MEDICONNECT_BENCH_OUT") ?? "/tmp/mediconnect-bench.txt", text);
    }

    async Task SeedAsync()
    {
        var doctorId = await Database.DataSource.InsertReturningAsync<int>(
            """
            INSERT INTO users (email, password, role, name, specialization)
            SELECT @BenchDoctor, password, 'doctor', 'Dr. Ben Mark', 'Cardiology' FROM users WHERE email = 'dr.smith@mediconnect.demo'
            RETURNING id
            """, new { BenchDoctor });
        // 16 half-hour slots a day over 625 days: 400 days back, 225 ahead.
        await Database.DataSource.ExecuteAsync(
            """
            INSERT INTO appointments (patient_id, doctor_id, appointment_date, appointment_time, duration_minutes, type, reason, status, cancellation_reason)
            SELECT p.ids[1 + i % array_length(p.ids, 1)], @doctorId, CURRENT_DATE + (i / 16 - 400),
                   TIME '08:00' + make_interval(mins => 30 * (i % 16)), 30, 'Follow-up', 'Benchmark visit ' || i,
                   CASE WHEN i / 16 < 400 THEN (ARRAY['completed', 'completed', 'completed', 'cancelled', 'no_show'])[1 + i % 5]
                        ELSE (ARRAY['scheduled', 'confirmed'])[1 + i % 2] END,
                   CASE WHEN i / 16 < 400 AND i % 5 = 3 THEN 'Benchmark' END
            FROM generate_series(0, @count - 1) AS i,
                 (SELECT array_agg(id ORDER BY id) AS ids FROM users WHERE role = 'patient' AND is_active) AS p;
            ANALYZE appointments;
            """, new { doctorId, count = Appointments });
    }
}
