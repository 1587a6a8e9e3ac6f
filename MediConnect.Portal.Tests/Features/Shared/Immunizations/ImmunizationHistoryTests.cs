using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Immunizations;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Features.Doctor;
using MediConnect.Portal.Tests.Fixtures;
using Npgsql;
using static MediConnect.Portal.Tests.Fixtures.Demo;

namespace MediConnect.Portal.Tests.Features.Shared.Immunizations;

/// <summary>
/// Immunizations against the real database: who may record, report, confirm and read them, what
/// the audit log keeps, and the rules the database holds whatever writes the row.
/// </summary>
public sealed class ImmunizationHistoryTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    // John (born 1980-03-14) is Dr. Smith's patient; Dr. Patel does not care for him.
    static readonly DateTime LastMonth = DateTime.Today.AddDays(-30);

    async Task<ImmunizationHistory> AsAsync(string email)
    {
        var user = await database.SignedInAsync(email);
        return new ImmunizationHistory(database.DataSource, user, CareTeam(database), ChartAccess(database, user), Audit(user), TimeProvider.System);
    }

    static ImmunizationDraft Flu(string? lot = "FL2291", string? notes = null) =>
        new() { CvxCode = "150", AdministeredOn = LastMonth, DoseNumber = 1, LotNumber = lot, Site = "Left deltoid", GivenAt = "Corner pharmacy", Notes = notes };

    Task<long> CountAsync(string table, int patient) =>
        database.DataSource.QueryOneAsync<long>(
            table == "audit_log"
                ? "SELECT count(*) FROM audit_log WHERE entity_type = 'immunizations' AND (new_values->>'patientId')::int = @patient"
                : "SELECT count(*) FROM immunizations WHERE patient_id = @patient",
            new { patient });

    [Fact]
    public async Task ADoctorRecordsADoseTheyGaveAndTheAuditRowNamesTheFieldsButNoValue()
    {
        var john = await database.UserIdAsync(John);
        var smith = await AsAsync(Smith);

        var id = await smith.RecordAsync(john, Flu(notes: "Tolerated well"));

        var row = Assert.Single(await smith.ForChartAsync(john), r => r.Id == id);
        Assert.Equal(("150", ImmunizationRow.Clinic, "Dr. Sarah Smith", "FL2291"), (row.CvxCode, row.Source, row.GivenByName, row.LotNumber));
        Assert.False(row.AwaitsConfirmation);
        var audit = await database.DataSource.QueryOneAsync<string>(
            "SELECT new_values::text FROM audit_log WHERE action = @action AND entity_id = @id", new { action = ImmunizationHistory.CreateAction, id = id.ToString() });
        Assert.Contains("lotNumber", audit);
        Assert.DoesNotContain("FL2291", audit);
        Assert.DoesNotContain("Tolerated", audit);
        Assert.DoesNotContain("150", audit);
    }

    [Fact]
    public async Task APatientReportsADoseGivenElsewhereAndADoctorOfTheirsConfirmsIt()
    {
        var john = await database.UserIdAsync(John);
        var patient = await AsAsync(John);

        var id = await patient.ReportAsync(Flu());

        var reported = Assert.Single(await patient.MineAsync(), r => r.Id == id);
        Assert.True(reported.AwaitsConfirmation);
        Assert.Null(reported.GivenBy);
        Assert.Equal("Corner pharmacy", reported.GivenAt);

        await (await AsAsync(Smith)).ConfirmAsync(id);

        var confirmed = Assert.Single(await patient.MineAsync(), r => r.Id == id);
        Assert.False(confirmed.AwaitsConfirmation);
        Assert.Equal("Dr. Sarah Smith", confirmed.ConfirmedByName);
        Assert.Null(confirmed.GivenBy);
        Assert.Equal(1, await database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action = @action AND entity_id = @id AND user_id = (SELECT id FROM users WHERE email = @email)",
            new { action = ImmunizationHistory.ConfirmAction, id = id.ToString(), email = Smith }));
        var smith = await AsAsync(Smith);
        var again = await Assert.ThrowsAsync<BusinessRuleException>(() => smith.ConfirmAsync(id));
        Assert.Contains("confirmed already", again.Message);
        Assert.Equal(john, confirmed.PatientId);
    }

    [Fact]
    public async Task AnotherDoctorAnAdminAndAnotherPatientAreRefusedAndNothingIsWritten()
    {
        var john = await database.UserIdAsync(John);
        var reported = await (await AsAsync(John)).ReportAsync(Flu());
        var (rows, audits) = (await CountAsync("immunizations", john), await CountAsync("audit_log", john));

        var patel = await AsAsync(Patel);
        await Assert.ThrowsAsync<AccessDeniedException>(() => patel.RecordAsync(john, Flu()));
        await Assert.ThrowsAsync<AccessDeniedException>(() => patel.ConfirmAsync(reported));
        await Assert.ThrowsAsync<AccessDeniedException>(() => patel.ForChartAsync(john));
        var admin = await AsAsync(Demo.Admin);
        await Assert.ThrowsAsync<AccessDeniedException>(() => admin.RecordAsync(john, Flu()));
        await Assert.ThrowsAsync<AccessDeniedException>(() => admin.ReportAsync(Flu()));
        await Assert.ThrowsAsync<AccessDeniedException>(() => admin.ConfirmAsync(reported));
        await Assert.ThrowsAsync<AccessDeniedException>(() => admin.ForChartAsync(john));
        await Assert.ThrowsAsync<AccessDeniedException>(() => admin.MineAsync());
        var emily = await AsAsync(Emily);
        await Assert.ThrowsAsync<AccessDeniedException>(() => emily.ConfirmAsync(reported));
        await Assert.ThrowsAsync<AccessDeniedException>(() => emily.RecordAsync(john, Flu()));
        Assert.DoesNotContain(await emily.MineAsync(), r => r.PatientId == john);

        Assert.Equal((rows, audits), (await CountAsync("immunizations", john), await CountAsync("audit_log", john)));
        Assert.True(Assert.Single(await (await AsAsync(John)).MineAsync(), r => r.Id == reported).AwaitsConfirmation);
    }

    [Fact]
    public async Task ADoctorUnderBreakGlassReadsButCannotRecordOrConfirm()
    {
        var john = await database.UserIdAsync(John);
        var reported = await (await AsAsync(John)).ReportAsync(Flu());
        // Dr. Okafor, not Dr. Patel: a grant outlives this test, and the refusal test counts on Dr. Patel having none.
        var okaforUser = await database.SignedInAsync(Demo.Okafor);
        await new DoctorWorkspace(database, okaforUser).Emergency.RequestAsync(john, "Unconscious in the emergency department; his own doctors cannot be reached.");
        var okafor = await AsAsync(Demo.Okafor);

        Assert.Contains(await okafor.ForChartAsync(john), r => r.Id == reported);
        await Assert.ThrowsAsync<AccessDeniedException>(() => okafor.RecordAsync(john, Flu()));
        await Assert.ThrowsAsync<AccessDeniedException>(() => okafor.ConfirmAsync(reported));
        Assert.True(Assert.Single(await okafor.ForChartAsync(john), r => r.Id == reported).AwaitsConfirmation);
    }

    [Fact]
    public async Task AClinicDoseHasNothingToConfirm()
    {
        var id = await (await AsAsync(Smith)).RecordAsync(await database.UserIdAsync(John), Flu());

        var smith = await AsAsync(Smith);
        var refused = await Assert.ThrowsAsync<BusinessRuleException>(() => smith.ConfirmAsync(id));

        Assert.Contains("nothing to confirm", refused.Message);
    }

    [Fact]
    public async Task BadInputGetsAFieldMessageAndNothingIsWritten()
    {
        var john = await database.UserIdAsync(John);
        var patient = await AsAsync(John);
        var before = await CountAsync("immunizations", john);

        var errors = (await Assert.ThrowsAsync<FieldValidationException>(() => patient.ReportAsync(new ImmunizationDraft
        {
            CvxCode = "999", AdministeredOn = DateTime.Today.AddDays(2), DoseNumber = 0, LotNumber = "A\u202EB", Notes = new string('x', 1001),
        }))).Errors;
        Assert.Equal("Choose the vaccine from the list.", errors[nameof(ImmunizationDraft.CvxCode)]);
        Assert.Equal("The date cannot be in the future.", errors[nameof(ImmunizationDraft.AdministeredOn)]);
        Assert.Contains("from 1 to 20", errors[nameof(ImmunizationDraft.DoseNumber)]);
        Assert.Contains("reorders text", errors[nameof(ImmunizationDraft.LotNumber)]);
        Assert.Contains("at most 1000", errors[nameof(ImmunizationDraft.Notes)]);

        var tooEarly = Flu();
        tooEarly.AdministeredOn = new DateTime(1979, 1, 1);
        var beforeBirth = await Assert.ThrowsAsync<FieldValidationException>(() => patient.ReportAsync(tooEarly));
        Assert.Equal("The date cannot be before the date of birth.", beforeBirth.Errors[nameof(ImmunizationDraft.AdministeredOn)]);
        Assert.Equal(before, await CountAsync("immunizations", john));
    }

    [Theory]
    [InlineData("administered_on = current_date + 2", "immunizations_not_in_future")]
    [InlineData("administered_on = DATE '1979-01-01'", "immunizations_not_before_birth")]
    [InlineData("dose_number = 0", "immunizations_dose_number_check")]
    [InlineData("given_by = (SELECT id FROM users WHERE email = 'dr.smith@mediconnect.demo')", "immunizations_given_by_check")]
    [InlineData("confirmed_by = (SELECT id FROM users WHERE email = 'john.doe@mediconnect.demo'), confirmed_at = now()", "immunizations_confirmed_by_doctor")]
    [InlineData("confirmed_at = now()", "immunizations_confirmed_check")]
    [InlineData("lot_number = ''", "immunizations_lot_number_check")]
    public async Task TheDatabaseRefusesARowThatBreaksARuleWhateverWritesIt(string change, string constraint)
    {
        var john = await database.UserIdAsync(John);
        var id = await (await AsAsync(John)).ReportAsync(Flu());

        var refused = await Assert.ThrowsAsync<PostgresException>(() => database.DataSource.ExecuteAsync($"UPDATE immunizations SET {change} WHERE id = @id", new { id }));

        Assert.Equal(constraint, refused.ConstraintName);
        Assert.Equal(john, (await (await AsAsync(John)).MineAsync()).Single(r => r.Id == id).PatientId);
    }

    [Fact]
    public async Task TheVaccineListHoldsTheCommonCvxCodesAndIsNoAdminsBusiness()
    {
        var vaccines = await (await AsAsync(John)).VaccinesAsync();

        Assert.True(vaccines.Count >= 40);
        Assert.Contains(vaccines, v => v.CvxCode == "115" && v.Name == "Tdap");
        Assert.Contains(vaccines, v => v.CvxCode == "03" && v.Name == "MMR");
        var admin = await AsAsync(Demo.Admin);
        await Assert.ThrowsAsync<AccessDeniedException>(() => admin.VaccinesAsync());
    }
}
