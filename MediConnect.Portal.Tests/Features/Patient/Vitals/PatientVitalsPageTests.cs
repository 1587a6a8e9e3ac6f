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
}
