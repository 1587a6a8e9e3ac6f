using Bunit;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Patient.Health;
using MediConnect.Portal.Features.Patient.Labs;
using MediConnect.Portal.Features.Shared.Labs;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using static MediConnect.Portal.Tests.Fixtures.Demo;

namespace MediConnect.Portal.Tests.Features.Patient.Labs;

public sealed class PatientLabsPageTests(TestDatabase database) : DatabaseComponentTest(database), IClassFixture<TestDatabase>
{
    // Results as a lab would leave them: the database computes range and flag.
    async Task AddAsync(string patient, string loinc, decimal value, string unit, int daysAgo)
    {
        const string sql = """
            INSERT INTO lab_results (patient_id, loinc_code, value, unit, specimen_at, resulted_at, ordering_doctor_id, entered_by)
            SELECT p.id, @loinc, @value, @unit, now() - make_interval(days => @daysAgo), now() - make_interval(days => @daysAgo), d.id, d.id
            FROM users p, users d WHERE p.email = @patient AND d.email = @Smith
            """;
        await Database.DataSource.ExecuteAsync(sql, new { patient, loinc, value, unit, daysAgo, Smith });
    }

    [Fact]
    public async Task APatientSeesEachTestsTrendWithItsRangeAsABandAndTheFlagOfTheNewestValue()
    {
        await AddAsync(John, "2823-3", 4.2m, "mmol/L", 30);
        await AddAsync(John, "2823-3", 6.8m, "mmol/L", 1);
        await AddAsync(Emily, "718-7", 9.0m, "g/dL", 2);
        await SignInAsync(John);

        var cut = Render<PatientLabsPage>();
        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(cut.FindAll(".lab-test")), TimeSpan.FromSeconds(10));

        // John may have other tests from this class's other facts (the database is shared); potassium is this one's.
        var potassium = Assert.Single(cut.FindAll(".lab-test"), t => t.GetAttribute("data-loinc") == "2823-3");
        Assert.Contains("6.8 mmol/L", potassium.TextContent);
        Assert.Equal("Critically high", potassium.QuerySelector(".lab-flag")!.TextContent.Trim());
        Assert.NotNull(potassium.QuerySelector("rect.lab-range-band"));
        Assert.Contains("Reference range: 3.5–5.1 mmol/L", potassium.TextContent);
        Assert.Equal(["normal", "critical_high"], potassium.QuerySelectorAll(".lab-point").Select(p => p.GetAttribute("data-flag")!));
    }

    [Fact]
    public async Task TheHealthSummaryListsTheNewestResultOfEachTest()
    {
        await AddAsync(Michael, "4548-4", 6.1m, "%", 90);
        await AddAsync(Michael, "4548-4", 5.4m, "%", 3);
        await SignInAsync(Michael);

        var cut = Render<LatestResultsSection>();
        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(cut.FindAll("[data-lab-result-id]")), TimeSpan.FromSeconds(10));

        var item = Assert.Single(cut.FindAll("[data-lab-result-id]"));
        Assert.Contains("HbA1c", item.TextContent);
        Assert.Contains("5.4 %", item.TextContent);
        Assert.Equal("Normal", item.QuerySelector(".lab-flag")!.TextContent.Trim());
    }

    [Fact]
    public async Task APatientReadsOnlyTheirOwnResultsADoctorOnlyTheirPatientsAndAnAdminNone()
    {
        await AddAsync(John, "2345-7", 95m, "mg/dL", 5);
        var john = await Database.UserIdAsync(John);

        async Task<LabResults> AsAsync(string email)
        {
            var user = await Database.SignedInAsync(email);
            return new LabResults(Database.DataSource, user, ChartAccess(Database, user));
        }

        Assert.All(await (await AsAsync(Emily)).MineAsync(), r => Assert.NotEqual(john, r.PatientId));
        Assert.NotEmpty(await (await AsAsync(Smith)).ForChartAsync(john));
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await (await AsAsync(Patel)).ForChartAsync(john));
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await (await AsAsync(Demo.Admin)).ForChartAsync(john));
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await (await AsAsync(Demo.Admin)).MineAsync());
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await (await AsAsync(John)).ForChartAsync(john));
    }
}
