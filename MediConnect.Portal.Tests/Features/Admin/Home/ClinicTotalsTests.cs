using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Admin.Home;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;

namespace MediConnect.Portal.Tests.Features.Admin.Home;

public sealed class ClinicTotalsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task AdminsOpeningTheHomeWithinTheIntervalShareOneCountAndTheNextIntervalCountsAgain()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var totals = new ClinicTotals(database.DataSource, clock);

        var first = await totals.GetAsync();
        await database.DataSource.ExecuteAsync("""
            INSERT INTO users (email, password, role, name) SELECT 'counted.later@mediconnect.demo', password, 'patient', 'Counted Later'
            FROM users WHERE email = 'john.doe@mediconnect.demo'
            """);
        var sameInterval = await Task.WhenAll(totals.GetAsync(), totals.GetAsync());
        clock.Advance(ClinicTotals.Interval);
        var next = await totals.GetAsync();

        Assert.All(sameInterval, counts => Assert.Same(first, counts));
        Assert.Equal(Patients(first) + 1, Patients(next));
        Assert.Equal(first.CountedAt + ClinicTotals.Interval, next.CountedAt);
    }

    static long Patients(ClinicCounts counts) => counts.Users.Single(u => u.Role == "patient").Active;
}
