using Bunit;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Patient.Vitals;
using MediConnect.Portal.Tests.Fixtures;
using MudBlazor;
using static MediConnect.Portal.Tests.Fixtures.Demo;

namespace MediConnect.Portal.Tests.Features.Patient.Vitals;

public sealed class PatientVitalsPageTests(TestDatabase database) : DatabaseComponentTest(database, holdConnections: true), IClassFixture<TestDatabase>
{
    static int Shown(IRenderedComponent<PatientVitalsPage> cut) => cut.FindComponent<VitalReadingsTable>().Instance.Readings.Count;

    Task<long> ReadingsWithinAsync(int days) => Database.DataSource.QueryOneAsync<long>("""
        SELECT count(*) FROM vital_signs v JOIN patients p ON p.id = v.patient_id JOIN users u ON u.id = p.user_id
        WHERE u.email = @John AND v.recorded_at >= now() - make_interval(days => @days)
        """, new { John, days });

    [Fact]
    public async Task AnEarlierPeriodFinishingLastNeverReplacesTheNewerReadings()
    {
        await SignInAsync(John);
        Render<MudPopoverProvider>();
        var cut = Render<PatientVitalsPage>();
        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(cut.FindComponents<VitalReadingsTable>()), TimeSpan.FromSeconds(10));
        var year = await ReadingsWithinAsync(365);
        Assert.NotEqual(await ReadingsWithinAsync(7), year);

        var slow = Connections.HoldOpens();
        var week = cut.Find("#period-7").ClickAsync(new());
        await slow.ReachedAsync();
        slow.PassNewOpens();
        await cut.Find("#period-365").ClickAsync(new());
        Assert.Equal(year, Shown(cut));

        slow.Release();
        await week;

        Assert.Equal(year, Shown(cut));
    }

    [Fact]
    public async Task TheSavedBannerReadsAsSentencesWithSpacesBetweenThem()
    {
        await SignInAsync(Emily);
        var cut = Render<PatientVitalsPage>();
        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(cut.FindComponents<VitalReadingsTable>()));

        await cut.Find("#record-reading").ClickAsync(new());
        await cut.Find("#vital-HeartRate").ChangeAsync("150");
        await cut.Find("#save-reading").ClickAsync(new());

        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(cut.FindAll("#reading-saved")));
        var banner = string.Join(" ", cut.Find("#reading-saved .mud-alert-message").TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Reading saved. Outside the normal range: Heart rate 150 bpm is critically high. Your doctor", banner);
        Assert.EndsWith("notified. If you feel unwell, call your doctor or emergency services now.", banner);
    }

    [Fact]
    public async Task ThePeriodSelectorShowsAndAnnouncesTheSelectedPeriod()
    {
        await SignInAsync(John);
        var cut = Render<PatientVitalsPage>();
        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(cut.FindComponents<VitalReadingsTable>()));

        Assert.Equal(("true", "false"), (cut.Find("#period-30").GetAttribute("aria-pressed"), cut.Find("#period-7").GetAttribute("aria-pressed")));
        Assert.Contains("mud-button-filled", cut.Find("#period-30").ClassName);
        Assert.DoesNotContain("mud-button-filled", cut.Find("#period-7").ClassName);

        await cut.Find("#period-7").ClickAsync(new());

        Assert.Equal(("false", "true"), (cut.Find("#period-30").GetAttribute("aria-pressed"), cut.Find("#period-7").GetAttribute("aria-pressed")));
        Assert.Contains("mud-button-filled", cut.Find("#period-7").ClassName);
    }

    [Fact]
    public async Task OneGlucoseReadingAmongOtherReadingsOfItsBucketIsFlaggedOnce()
    {
        var email = await Database.NewUserAsync("patient");
        await Database.DataSource.ExecuteAsync("""
            INSERT INTO patients (user_id) SELECT id FROM users WHERE email = @email;
            INSERT INTO vital_signs (patient_id, heart_rate, glucose_level, recorded_at, device_source)
            SELECT p.id, hr, glucose, date_trunc('day', now()) - interval '2 days' + make_interval(hours => 1, mins => m), 'Manual Entry'
            FROM patients p JOIN users u ON u.id = p.user_id,
                 (VALUES (NULL::int, 290, 0), (72, NULL::int, 10), (80, NULL::int, 20)) AS r (hr, glucose, m)
            WHERE u.email = @email
            """, new { email });
        await SignInAsync(email);

        var cut = Render<PatientVitalsPage>();
        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(cut.FindComponents<VitalReadingsTable>()));

        var glucose = cut.Find("[data-measure='GlucoseLevel']");
        Assert.Single(glucose.QuerySelectorAll(".out-of-range-flag"));
        Assert.Single(glucose.QuerySelectorAll(".vital-point"));
        Assert.Equal(2, cut.Find("[data-measure='HeartRate']").QuerySelectorAll(".vital-point").Length);
    }
}
