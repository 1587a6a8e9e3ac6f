using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Doctor.Flags;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using Npgsql;
using static MediConnect.Portal.Tests.Features.Doctor.DoctorWorkspace;
using static MediConnect.Portal.Tests.Fixtures.Demo;

namespace MediConnect.Portal.Tests.Features.Doctor.Flags;

public sealed class ClinicalFlagsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    Task<long> AcknowledgementsAsync(int reading) =>
        database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM vital_sign_acknowledgements WHERE vital_sign_id = @reading", new { reading });

    Task<long> AcknowledgeAuditsAsync(int reading) =>
        database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action = @action AND entity_type = 'vital_signs' AND entity_id = @reading",
            new { action = ClinicalFlags.AcknowledgeAction, reading = reading.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    [Fact]
    public async Task TheAllergyChipListsTheActiveStructuredAllergies()
    {
        var emily = await database.UserIdAsync(Emily);
        var patel = await database.SignedInAsync(Patel);
        var list = new MediConnect.Portal.Features.Shared.ProblemList.ProblemListService(
            database.DataSource, patel, CareTeam(database), ChartAccess(database, patel), Audit(patel), TimeProvider.System);
        var flags = (await SignedInAsync(database, Patel)).Flags;
        await list.AddAllergyAsync(emily, new() { Substance = "Bee stings", Severity = "severe" });
        var latex = (await list.ForChartAsync(emily)).Allergies.Single(a => a.Substance == "Latex");
        await list.InactivateAllergyAsync(latex.Id);

        var chip = (await flags.ForChartAsync(emily)).Allergies;

        Assert.Equal("Bee stings", chip);
    }

    [Fact]
    public async Task JohnsDoctorAcknowledgesHisCriticalReadingAndTheFlagThenNamesWhoAndWhen()
    {
        var john = await database.UserIdAsync(John);
        var reading = await InsertReadingAsync(database, 150, "182/121");
        var flags = (await SignedInAsync(database, Smith)).Flags;

        var before = (await flags.ForPatientsAsync([john]))[john];
        var critical = Assert.Single(before.Unacknowledged, r => r.Reading.Id == reading);
        Assert.Equal("HR 150, BP 182/121", critical.Measures);
        Assert.Contains("Penicillin", before.Allergies);

        var ack = await flags.AcknowledgeAsync(reading);

        Assert.Equal("Dr. Sarah Smith", ack.DoctorName);
        var after = await flags.ForChartAsync(john);
        Assert.DoesNotContain(after.Unacknowledged, r => r.Reading.Id == reading);
        Assert.Equal(reading, after.Acknowledged!.Reading.Id);
        Assert.Equal("Dr. Sarah Smith", after.Acknowledged.Acknowledgement!.DoctorName);
        Assert.Equal(1, await AcknowledgeAuditsAsync(reading));

        // A second acknowledgement keeps the first: one row, one audit entry.
        Assert.Equal(ack.AcknowledgedAt, (await flags.AcknowledgeAsync(reading)).AcknowledgedAt);
        Assert.Equal(1, await AcknowledgementsAsync(reading));
        Assert.Equal(1, await AcknowledgeAuditsAsync(reading));
    }

    [Fact]
    public async Task AnotherDoctorAndThePatientCannotAcknowledgeAndSeeNoFlagsOfHim()
    {
        var john = await database.UserIdAsync(John);
        var reading = await InsertReadingAsync(database, 150, "182/121");

        var patel = (await SignedInAsync(database, Patel)).Flags;
        await Assert.ThrowsAsync<AccessDeniedException>(() => patel.AcknowledgeAsync(reading));
        Assert.Empty(await patel.ForPatientsAsync([john]));
        await Assert.ThrowsAsync<AccessDeniedException>(() => patel.ForChartAsync(john));
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await (await SignedInAsync(database, John)).Flags.AcknowledgeAsync(reading));

        Assert.Equal(0, await AcknowledgementsAsync(reading));
        Assert.Equal(0, await AcknowledgeAuditsAsync(reading));
        Assert.Single((await (await SignedInAsync(database, Smith)).Flags.ForChartAsync(john)).Unacknowledged, r => r.Reading.Id == reading);
    }

    [Fact]
    public async Task AReadingThatIsNotCriticalIsNotAcknowledgedButFlagsAsAbnormal()
    {
        var john = await database.UserIdAsync(John);
        var reading = await InsertReadingAsync(database, 112, "150/95");
        var flags = (await SignedInAsync(database, Smith)).Flags;

        await Assert.ThrowsAsync<BusinessRuleException>(() => flags.AcknowledgeAsync(reading));

        var abnormal = (await flags.ForChartAsync(john)).Abnormal;
        Assert.Equal(reading, abnormal!.Reading.Id);
        Assert.Equal("HR 112, BP 150/95", abnormal.Measures);
        Assert.Equal(0, await AcknowledgementsAsync(reading));
    }

    [Fact]
    public async Task TheDatabaseRefusesAnAcknowledgementByAnyoneButADoctor()
    {
        var john = await database.UserIdAsync(John);
        var reading = await InsertReadingAsync(database, 150, "182/121");

        var refused = await Assert.ThrowsAsync<PostgresException>(() => database.DataSource.ExecuteAsync(
            "INSERT INTO vital_sign_acknowledgements (vital_sign_id, acknowledged_by) VALUES (@reading, @john)", new { reading, john }));

        Assert.Equal(PostgresErrorCodes.CheckViolation, refused.SqlState);
        Assert.Equal(0, await AcknowledgementsAsync(reading));
    }
}
