using System.Globalization;
using System.Text;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Patient.Appointments;
using MediConnect.Portal.Features.Shared.Live;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using MediConnect.Portal.Tests.Journeys;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;
using Npgsql;

namespace MediConnect.Portal.Tests.Benchmarks;

/// <summary>
/// Measures (never asserts) live updates across two portal instances on one database: the delay
/// from a booking's commit through instance A to the element in Dr. Smith's agenda open in
/// Chromium on instance B, over 50 bookings; and the memory an open, subscribed page (circuit)
/// costs. Skipped unless MEDICONNECT_BENCH=1 (see bench.sh); the figures go to the test output
/// and to MEDICONNECT_BENCH_OUT (default /tmp/mediconnect-bench-live.txt).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveUpdatesBenchmark(BrowserFixture browser, TestDatabase database) : IClassFixture<TestDatabase>
{
    const int Events = 50;
    const int ExtraPages = 20;

    [Fact]
    public async Task MeasureCommitToOtherBrowserDelayAndMemoryPerSubscribedCircuit()
    {
        Assert.SkipUnless(Environment.GetEnvironmentVariable("MEDICONNECT_BENCH") == "1", "Benchmark: run ./bench.sh live (MEDICONNECT_BENCH=1).");
        await using var a = new PortalFactory(database.ConnectionString);
        await using var b = new PortalFactory(database.ConnectionString);
        var (addressA, addressB) = (a.StartOnKestrel(), b.StartOnKestrel());
        var hubB = b.Services.GetRequiredService<LiveEventHub>();
        foreach (var portal in new[] { a, b })
            await Wait.UntilAsync(() => portal.Services.GetRequiredService<LiveEventHub>().State == LiveListenerState.Listening, "both listeners");

        // Dr. Smith's agenda on B, on the quiet week five weeks out.
        var smith = await browser.NewPageAsync(addressB);
        await smith.SignInAsync(SignIn.DoctorEmail, SignIn.DoctorPassword);
        await smith.GotoAsync("/doctor");
        await smith.WaitForCircuitAsync();
        await smith.GetByRole(AriaRole.Tab, new() { Name = "Agenda" }).ClickAsync();
        var thisMonday = DateOnly.FromDateTime(DateTime.Now).AddDays(-(((int)DateTime.Now.DayOfWeek + 6) % 7));
        for (var week = 0; week < (Demo.QuietMonday.DayNumber - thisMonday.DayNumber) / 7; week++)
            await smith.GetByLabel("Next week", new() { Exact = true }).ClickAsync();
        await Assertions.Expect(smith.Locator("#agenda-range")).ToContainTextAsync(Demo.QuietMonday.ToString("d MMM", CultureInfo.InvariantCulture));
        await smith.EvaluateAsync("""
            () => {
                window.__seen = {};
                const note = () => document.querySelectorAll('[data-appointment-id]').forEach(e => window.__seen[e.dataset.appointmentId] ??= Date.now());
                note();
                new MutationObserver(note).observe(document.body, { subtree: true, childList: true });
            }
            """);

        // 50 bookings by John through A, one after another; each time until it is in B's DOM.
        var db = a.Services.GetRequiredService<NpgsqlDataSource>();
        var (johnId, johnName) = await db.QueryOneAsync<(int, string)>("SELECT id, name FROM users WHERE email = @email", new { email = SignIn.PatientEmail });
        var smithId = await db.QueryOneAsync<int>("SELECT id FROM users WHERE email = @email", new { email = SignIn.DoctorEmail });
        var asJohn = new TestCurrentUser(new PortalUser(johnId, SignIn.PatientEmail, johnName, Roles.Patient));
        var booking = new PatientAppointmentService(db, asJohn, new AuditLog(asJohn), TimeProvider.System);
        var delays = new List<double>();
        for (var i = 0; i < Events; i++)
        {
            var slot = new BookingRequest(smithId, Demo.QuietMonday.AddDays(i / 16), new TimeOnly(9, 0).AddMinutes(30 * (i % 16)), "Consultation", $"Benchmark booking {i}");
            var id = await booking.BookAsync(slot);
            var committed = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await smith.WaitForFunctionAsync($"() => window.__seen['{id}'] !== undefined");
            delays.Add(await smith.EvaluateAsync<double>($"() => window.__seen['{id}']") - committed);
        }

        // Memory: the whole of an open /doctor page (its circuit) on B, and the live-update part of it.
        var circuitsBefore = hubB.Status;
        var heapBefore = Heap();
        var context = smith.Context;
        var extra = new List<IPage>();
        for (var i = 0; i < ExtraPages; i++)
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync("/doctor");
            await page.WaitForCircuitAsync();
            extra.Add(page);
        }
        await Wait.UntilAsync(() => hubB.Status.Circuits == circuitsBefore.Circuits + ExtraPages, "the extra circuits");
        var perCircuit = (Heap() - heapBefore) / ExtraPages;
        var subscriptionsPerPage = (hubB.Status.Subscriptions - circuitsBefore.Subscriptions) / (double)ExtraPages;
        var livePart = LiveStateBytesPerCircuit((int)Math.Round(subscriptionsPerPage));

        var sorted = delays.Order().ToList();
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Live updates, two portal instances on one database (in-process Kestrel), Chromium headless; {Environment.ProcessorCount} cores.");
        report.AppendLine(CultureInfo.InvariantCulture,
            $"  Commit of a booking through A -> element in Dr. Smith's agenda on B ({Events} bookings): median {sorted[Events / 2]:F0} ms   p95 {sorted[(int)Math.Ceiling(Events * 0.95) - 1]:F0} ms   max {sorted[^1]:F0} ms");
        report.AppendLine(CultureInfo.InvariantCulture,
            $"  Memory per open /doctor page (whole circuit, managed heap of the portal process): {perCircuit / 1024.0:F0} KB over {ExtraPages} pages; {subscriptionsPerPage:F0} subscriptions each");
        report.AppendLine(CultureInfo.InvariantCulture,
            $"  of which live updates (circuit queue, subscriptions, hub entry): {livePart:F0} bytes");
        var text = report.ToString();
        TestContext.Current.SendDiagnosticMessage(text);
        await File.WriteAllTextAsync(Environment.GetEnvironmentVariable("MEDICONNECT_BENCH_OUT") ?? "/tmp/mediconnect-bench-live.txt", text);
        foreach (var page in extra)
            await page.CloseAsync();
    }

    static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>Bytes that 1,000 attached circuits with <paramref name="subscriptions"/> subscriptions each hold, per circuit.</summary>
    double LiveStateBytesPerCircuit(int subscriptions)
    {
        var hub = new LiveEventHub(TimeProvider.System);
        var careTeam = new CareTeam(database.DataSource, TimeProvider.System);
        var circuits = new List<(LiveUpdates, List<IDisposable>)>();
        var before = Heap();
        for (var i = 0; i < 1_000; i++)
        {
            var circuit = new LiveUpdates(hub, new TestCurrentUser(null), careTeam, NullLogger<LiveUpdates>.Instance);
            var pages = Enumerable.Range(0, subscriptions).Select(_ => circuit.Subscribe([LiveTopic.Appointment, LiveTopic.Notification], _ => Task.CompletedTask)).ToList();
            circuits.Add((circuit, pages));
        }
        var bytes = (Heap() - before) / 1_000.0;
        foreach (var (circuit, pages) in circuits)
        {
            pages.ForEach(p => p.Dispose());
            circuit.Dispose();
        }
        return bytes;
    }
}
