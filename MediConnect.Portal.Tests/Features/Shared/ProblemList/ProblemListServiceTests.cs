using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.ProblemList;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using Npgsql;
using static MediConnect.Portal.Tests.Fixtures.Demo;

namespace MediConnect.Portal.Tests.Features.Shared.ProblemList;

public sealed class ProblemListServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    const string James = "james.taylor@mediconnect.demo";

    async Task<ProblemListService> SignedInAsync(string email)
    {
        var user = await database.SignedInAsync(email);
        return new ProblemListService(database.DataSource, user, CareTeam(database), ChartAccess(database, user), Audit(user), TimeProvider.System);
    }

    Task<string?> AuditAsync(string action, string entityType, int id) =>
        database.DataSource.QueryOneAsync<string?>(
            "SELECT new_values::text FROM audit_log WHERE action = @action AND entity_type = @entityType AND entity_id = @id",
            new { action, entityType, id = id.ToString() });

    [Fact]
    public async Task TheFreeTextConditionsAndAllergiesBecameUncodedEntriesOfTheChart()
    {
        var list = await (await SignedInAsync(Smith)).ForChartAsync(await database.UserIdAsync(James));

        Assert.Equal(["Coronary Artery Disease", "Type 2 Diabetes"], list.Problems.Select(p => p.Description).Order());
        Assert.All(list.Problems, p => Assert.False(p.IsCoded));
        Assert.All(list.Problems, p => Assert.Null(p.RecordedBy));
        Assert.Equal(["Penicillin", "Sulfa drugs"], list.Allergies.Select(a => a.Substance).Order());
        Assert.All(list.Allergies, a => Assert.True(a.IsActive));
    }

    [Fact]
    public async Task ADoctorFindsAnIcd10CodeByItsCodeOrByWords()
    {
        var service = await SignedInAsync(Smith);

        Assert.Equal("E11.9", (await service.SearchCodesAsync("e11.9"))[0].Code);
        Assert.Contains(await service.SearchCodesAsync("type 2 diabetes"), c => c.Code == "E11.9");
        Assert.Contains(await service.SearchCodesAsync("HYPERTENSION essential"), c => c.Code == "I10");
        Assert.All(await service.SearchCodesAsync("I1"), c => Assert.StartsWith("I1", c.Code));
        Assert.Empty(await service.SearchCodesAsync("   "));
        Assert.Empty(await service.SearchCodesAsync("%' OR 1=1 --"));
        Assert.True((await service.SearchCodesAsync("pain")).Count <= ProblemListService.SearchLimit);
    }

    [Fact]
    public async Task ADoctorAddsCodesAndResolvesAProblemAndEachWriteIsAuditedWithoutItsWords()
    {
        var service = await SignedInAsync(Smith);
        var john = await database.UserIdAsync(John);

        var added = await service.AddProblemAsync(john, new ProblemDraft { Description = "Sore knee after running", OnsetDate = DateTime.Today.AddDays(-30) });
        Assert.False(added.IsCoded);
        Assert.Equal("Dr. Sarah Smith", added.RecordedByName);
        var coded = await service.CodeProblemAsync(added.Id, "m25.561");
        Assert.Equal(("M25.561", "Pain in right knee"), (coded.Icd10Code, coded.Icd10Title));
        var resolved = await service.ResolveProblemAsync(added.Id);
        Assert.Equal((ProblemRow.Resolved, DateOnly.FromDateTime(DateTime.Today)), (resolved.Status, resolved.ResolvedDate));
        await Assert.ThrowsAsync<BusinessRuleException>(() => service.ResolveProblemAsync(added.Id));

        var create = await AuditAsync("problem_create", ProblemListService.EntityProblem, added.Id);
        Assert.Contains("\"description\"", create);
        Assert.DoesNotContain("knee", create, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(await AuditAsync("problem_code", ProblemListService.EntityProblem, added.Id));
        Assert.Contains("resolved", await AuditAsync("problem_resolve", ProblemListService.EntityProblem, added.Id));
    }

    [Fact]
    public async Task BadInputIsRefusedWithAMessagePerFieldAndNothingIsWritten()
    {
        var service = await SignedInAsync(Smith);
        var john = await database.UserIdAsync(John);
        var before = await database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM patient_problems");

        var error = await Assert.ThrowsAsync<FieldValidationException>(() => service.AddProblemAsync(john,
            new ProblemDraft { Description = " ", Icd10Code = "Z99.999", OnsetDate = DateTime.Today.AddDays(2) }));
        Assert.Equal(["Description", "Icd10Code", "OnsetDate"], error.Errors.Keys.Order());
        Assert.Contains("not in the ICD-10-CM table", error.Errors["Icd10Code"]);
        var shape = await Assert.ThrowsAsync<FieldValidationException>(() => service.AddProblemAsync(john,
            new ProblemDraft { Description = "Cough", Icd10Code = "<script>" }));
        Assert.Equal("That is not an ICD-10-CM code.", shape.Errors["Icd10Code"]);
        var allergy = await Assert.ThrowsAsync<FieldValidationException>(() => service.AddAllergyAsync(john,
            new AllergyDraft { Substance = "", Reaction = new string('x', 501), Severity = "deadly" }));
        Assert.Equal(["Reaction", "Severity", "Substance"], allergy.Errors.Keys.Order());

        Assert.Equal(before, await database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM patient_problems"));
    }

    [Fact]
    public async Task AnAllergyIsRecordedOnceWhileActiveAndInactivatingItIsAudited()
    {
        var service = await SignedInAsync(Smith);
        var john = await database.UserIdAsync(John);

        var latex = await service.AddAllergyAsync(john, new AllergyDraft { Substance = "Latex", Reaction = "Hives", Severity = "Moderate" });
        Assert.Equal(("moderate", AllergyRow.Active), (latex.Severity, latex.Status));
        var twice = await Assert.ThrowsAsync<FieldValidationException>(() => service.AddAllergyAsync(john, new AllergyDraft { Substance = " latex " }));
        Assert.Equal("This allergy is already recorded.", twice.Errors["Substance"]);

        var inactive = await service.InactivateAllergyAsync(latex.Id);
        Assert.Equal(AllergyRow.Inactive, inactive.Status);
        Assert.DoesNotContain("Hives", await AuditAsync("allergy_create", ProblemListService.EntityAllergy, latex.Id));
        Assert.NotNull(await AuditAsync("allergy_inactivate", ProblemListService.EntityAllergy, latex.Id));
        var again = await service.AddAllergyAsync(john, new AllergyDraft { Substance = "Latex" });
        Assert.True(again.IsActive);
    }

    [Fact]
    public async Task ADoctorOutsideTheCareTeamNeitherReadsNorChangesTheList()
    {
        var patel = await SignedInAsync(Patel);
        var john = await database.UserIdAsync(John);
        var johnsAllergy = (await (await SignedInAsync(Smith)).ForChartAsync(john)).Allergies[0];

        await Assert.ThrowsAsync<AccessDeniedException>(() => patel.ForChartAsync(john));
        await Assert.ThrowsAsync<AccessDeniedException>(() => patel.AddProblemAsync(john, new ProblemDraft { Description = "Not mine" }));
        await Assert.ThrowsAsync<AccessDeniedException>(() => patel.AddAllergyAsync(john, new AllergyDraft { Substance = "Not mine" }));
        await Assert.ThrowsAsync<AccessDeniedException>(() => patel.InactivateAllergyAsync(johnsAllergy.Id));
        Assert.True((await (await SignedInAsync(Smith)).ForChartAsync(john)).Allergies[0].IsActive);
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await (await SignedInAsync(Demo.Admin)).ForChartAsync(john));
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await (await SignedInAsync(Demo.Admin)).SearchCodesAsync("E11"));
    }

    [Fact]
    public async Task APatientReadsTheirOwnListOnly()
    {
        var john = await database.UserIdAsync(John);

        var mine = await (await SignedInAsync(John)).MineAsync();

        Assert.Contains(mine.Allergies, a => a.Substance == "Penicillin");
        Assert.All(mine.Problems, p => Assert.Equal(john, p.PatientId));
        Assert.All(mine.Allergies, a => Assert.Equal(john, a.PatientId));
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await (await SignedInAsync(John)).ForChartAsync(john));
    }

    [Fact]
    public async Task TheDatabaseRefusesAResolvedProblemWithoutADateAndAnUnknownSeverity()
    {
        var john = await database.UserIdAsync(John);

        var resolved = await Assert.ThrowsAsync<PostgresException>(() => database.DataSource.ExecuteAsync(
            "INSERT INTO patient_problems (patient_id, description, status) VALUES (@john, 'x', 'resolved')", new { john }));
        Assert.Equal("patient_problems_resolved_check", resolved.ConstraintName);
        var severity = await Assert.ThrowsAsync<PostgresException>(() => database.DataSource.ExecuteAsync(
            "INSERT INTO patient_allergies (patient_id, substance, severity) VALUES (@john, 'x', 'deadly')", new { john }));
        Assert.Equal("patient_allergies_severity_check", severity.ConstraintName);
        var code = await Assert.ThrowsAsync<PostgresException>(() => database.DataSource.ExecuteAsync(
            "INSERT INTO patient_problems (patient_id, description, icd10_code) VALUES (@john, 'x', 'Q99.99')", new { john }));
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, code.SqlState);
    }
}
