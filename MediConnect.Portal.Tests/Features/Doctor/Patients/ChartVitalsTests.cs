using Bunit;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Doctor.Patients;
using MediConnect.Portal.Tests.Fixtures;
using static MediConnect.Portal.Tests.Fixtures.Demo;

namespace MediConnect.Portal.Tests.Features.Doctor.Patients;

public sealed class ChartVitalsTests(TestDatabase database) : DatabaseComponentTest(database, holdConnections: true), IClassFixture<TestDatabase>
{
    Task<long> ReadingsWithinAsync(int days) => Database.DataSource.QueryOneAsync<long>("""
        SELECT count(*) FROM vital_signs v JOIN patients p ON p.id = v.patient_id JOIN users u ON u.id = p.user_id
        WHERE u.email = @John AND v.recorded_at >= now() - make_interval(days => @days)
        """, new { John, days });

    static string Summary(IRenderedComponent<ChartVitals> cut) => cut.Find("#vitals-summary").TextContent;

    [Fact]
    public async Task AnEarlierRangeFinishingLastNeverReplacesTheNewerReadings()
    {
        await SignInAsync(Smith);
        var john = await Database.UserIdAsync(John);
        var cut = Render<ChartVitals>(p => p.Add(c => c.PatientUserId, john));
        await cut.WaitForAssertionAsync(() => Assert.Contains("readings", Summary(cut)), TimeSpan.FromSeconds(10));
        var yearReadings = await ReadingsWithinAsync(365);
        Assert.NotEqual(await ReadingsWithinAsync(7), yearReadings);

        var slow = Connections.HoldOpens();
        var week = cut.Find("#vitals-range [data-days='7']").ClickAsync(new());
        await slow.ReachedAsync();
        slow.PassNewOpens();
        await cut.Find("#vitals-range [data-days='365']").ClickAsync(new());
        Assert.StartsWith($"{yearReadings} readings", Summary(cut));

        slow.Release();
        await week;

        Assert.StartsWith($"{yearReadings} readings", Summary(cut));
    }

    [Fact]
    public async Task TheSummaryNamesTheChartsPeriodInPlainWordsAndTheRangeSaysWhichIsSelected()
    {
        await SignInAsync(Smith);
        var john = await Database.UserIdAsync(John);
        var cut = Render<ChartVitals>(p => p.Add(c => c.PatientUserId, john));
        await cut.WaitForAssertionAsync(() => Assert.Contains("readings", Summary(cut)));

        Assert.EndsWith("Each chart shows the lowest and highest value of each 12-hour period.", Summary(cut).Trim());
        Assert.Equal("true", cut.Find("#vitals-range [data-days='90']").GetAttribute("aria-pressed"));
        Assert.Equal("false", cut.Find("#vitals-range [data-days='7']").GetAttribute("aria-pressed"));

        await cut.Find("#vitals-range [data-days='7']").ClickAsync(new());

        Assert.EndsWith("Each chart shows the lowest and highest value of each hour.", Summary(cut).Trim());
        Assert.Equal("true", cut.Find("#vitals-range [data-days='7']").GetAttribute("aria-pressed"));
    }
}
