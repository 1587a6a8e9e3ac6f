using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Doctor.Labs;
using MediConnect.Portal.Features.Shared.Labs;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Features.Doctor;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace MediConnect.Portal.Tests.Features.Doctor.Labs;

public sealed class LabResultEntryTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    const string Bmp = "51990-0";
    const string Potassium = "2823-3";
    const string Creatinine = "2160-0";
    const string Sodium = "2951-2";
    const string Glucose = "2345-7";

    readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    async Task<LabResultEntry> AsAsync(string email)
    {
        var user = await database.SignedInAsync(email);
        return new LabResultEntry(database.DataSource, user, Demo.CareTeam(database), Demo.Audit(user), _time);
    }

    async Task<LabEntry> EntryAsync(string patient, string? panel, params (string Code, string Value)[] values)
    {
        var resulted = _time.GetUtcNow().UtcDateTime.AddHours(-1);
        return new LabEntry(await database.UserIdAsync(patient), panel, resulted.AddHours(-3), resulted, "final",
            [.. values.Select(v => new LabValueInput(v.Code, v.Value))]);
    }

    [Fact]
    public async Task APanelIsStoredWithFlagsComputedFromTheRangeOfThePatientsSex()
    {
        var patel = await AsAsync(Demo.Patel);

        // Linda is a woman: creatinine 1.2 mg/dL is above the women's range (0.59–1.04), potassium 6.8 is critical.
        var stored = await patel.EnterAsync(await EntryAsync("linda.martinez@mediconnect.demo", Bmp,
            (Glucose, "92"), (Sodium, "140"), (Potassium, "6,8"), (Creatinine, "1.2"), ("3094-0", "")));

        Assert.Equal(4, stored.Results.Count);
        var flags = stored.Results.ToDictionary(r => r.LoincCode, r => r.Flag);
        Assert.Equal(LabFlags.Normal, flags[Glucose]);
        Assert.Equal(LabFlags.Normal, flags[Sodium]);
        Assert.Equal(LabFlags.CriticalHigh, flags[Potassium]);
        Assert.Equal(LabFlags.High, flags[Creatinine]);
        var creatinine = stored.Results.Single(r => r.LoincCode == Creatinine);
        Assert.Equal("0.59–1.04 mg/dL", creatinine.RangeText);
        Assert.Equal("mg/dL", creatinine.Unit);
        Assert.All(stored.Results, r => Assert.Equal(Bmp, r.PanelCode));
        Assert.Equal(4L, await database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action = 'lab_result_create' AND entity_id = ANY(@ids)",
            new { ids = stored.Results.Select(r => r.Id.ToString()).ToArray() }));
    }

    [Fact]
    public async Task TheSameCreatinineIsNormalForAMan()
    {
        var smith = await AsAsync(Demo.Smith);

        var stored = await smith.EnterAsync(await EntryAsync(Demo.John, null, (Creatinine, "1.2")));

        var result = Assert.Single(stored.Results);
        Assert.Equal(LabFlags.Normal, result.Flag);
        Assert.Equal("0.74–1.35 mg/dL", result.RangeText);
        Assert.Equal(0, stored.DoctorsNotified);
    }

    [Fact]
    public async Task ACriticalResultNotifiesEachOfThePatientsDoctorsWithoutTheValueInTheAuditLog()
    {
        var smith = await AsAsync(Demo.Smith);
        var john = await database.UserIdAsync(Demo.John);
        var doctors = await Demo.CareTeam(database).DoctorsOfAsync(john);

        var stored = await smith.EnterAsync(await EntryAsync(Demo.John, null, (Potassium, "2.1")));

        Assert.Equal(LabFlags.CriticalLow, Assert.Single(stored.Results).Flag);
        Assert.Equal(doctors.Count, stored.DoctorsNotified);
        foreach (var doctor in doctors)
        {
            var note = await database.DataSource.QueryOneAsync<(string Title, string Message)>(
                "SELECT title, message FROM notifications WHERE user_id = @doctor AND data->>'link' = @link ORDER BY id DESC LIMIT 1",
                new { doctor, link = $"/doctor/patients/{john}" });
            Assert.Equal("Critical lab result: John Doe", note.Title);
            Assert.Contains("Potassium 2.1 mmol/L is critically low", note.Message);
        }
        var audited = await database.DataSource.QueryListAsync<string>(
            "SELECT new_values::text FROM audit_log WHERE action = 'lab_result_create' AND entity_id = @id", new { id = stored.Results[0].Id.ToString() });
        Assert.DoesNotContain("2.1", Assert.Single(audited));
    }

    [Fact]
    public async Task BadValuesAreRefusedWithAMessagePerTestAndNothingIsStored()
    {
        var smith = await AsAsync(Demo.Smith);
        var before = await database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM lab_results");

        var error = await Assert.ThrowsAsync<FieldValidationException>(async () =>
            await smith.EnterAsync(await EntryAsync(Demo.John, Bmp, (Glucose, "92"), (Sodium, "high"), ("9999-9", "1"))));

        Assert.Equal("Enter a number for 2951-2 (for example 4.2).", error.Errors[Sodium]);
        Assert.Equal("9999-9 is not a test of the catalog.", error.Errors["9999-9"]);
        Assert.Equal(before, await database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM lab_results"));
    }

    [Fact]
    public async Task AnEmptyPanelOrAResultBeforeItsSpecimenIsRefused()
    {
        var smith = await AsAsync(Demo.Smith);
        var entry = await EntryAsync(Demo.John, Bmp, (Glucose, " "));

        var error = await Assert.ThrowsAsync<FieldValidationException>(() =>
            smith.EnterAsync(entry with { ResultedAt = entry.SpecimenAt.AddMinutes(-1) }));

        Assert.Equal("Enter at least one result.", error.Errors["Values"]);
        Assert.Equal("The result time cannot be before the specimen was taken.", error.Errors["ResultedAt"]);
    }

    [Fact]
    public async Task OnlyTheCareTeamEntersResultsAndAPatientOrAdminCannot()
    {
        var entry = await EntryAsync(Demo.John, null, (Glucose, "90"));

        await Assert.ThrowsAsync<AccessDeniedException>(async () => await (await AsAsync(Demo.Patel)).EnterAsync(entry));
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await (await AsAsync(Demo.John)).EnterAsync(entry));
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await (await AsAsync(Demo.Admin)).EnterAsync(entry));
    }

    [Fact]
    public async Task TheDatabaseRefusesAUnitOtherThanTheTestsAndAFlagThatDoesNotMatchTheRange()
    {
        var john = await database.UserIdAsync(Demo.John);
        var smith = await database.UserIdAsync(Demo.Smith);
        const string insert = """
            INSERT INTO lab_results (patient_id, loinc_code, value, unit, specimen_at, resulted_at, ordering_doctor_id, entered_by)
            VALUES (@john, '2823-3', 4.0, @unit, now(), now(), @smith, @smith) RETURNING id
            """;

        var wrongUnit = await Assert.ThrowsAsync<PostgresException>(() => database.DataSource.InsertReturningAsync<int>(insert, new { john, smith, unit = "mg/dL" }));
        Assert.Equal("lab_results_test_unit_fkey", wrongUnit.ConstraintName);

        var id = await database.DataSource.InsertReturningAsync<int>(insert, new { john, smith, unit = "mmol/L" });
        // Typing a flag changes nothing: the trigger computes it again.
        Assert.Equal("normal", await database.DataSource.QueryOneAsync<string>("UPDATE lab_results SET flag = 'critical_high' WHERE id = @id RETURNING flag", new { id }));
        // And without the trigger, the check refuses a flag that does not match the range.
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using (var off = new NpgsqlCommand("ALTER TABLE lab_results DISABLE TRIGGER lab_results_apply_range", connection, tx))
            await off.ExecuteNonQueryAsync();
        await using var typed = new NpgsqlCommand($"UPDATE lab_results SET flag = 'critical_high' WHERE id = {id}", connection, tx);
        var mismatch = await Assert.ThrowsAsync<PostgresException>(() => typed.ExecuteNonQueryAsync());
        Assert.Equal("lab_results_flag_matches_range", mismatch.ConstraintName);
    }

    [Fact]
    public async Task AChildsResultGetsNoFlagBecauseOnlyAdultRangesShip()
    {
        var garcia = await AsAsync("dr.garcia@mediconnect.demo");

        var stored = await garcia.EnterAsync(await EntryAsync("noah.kim@mediconnect.demo", null, (Potassium, "6.8")));

        var result = Assert.Single(stored.Results);
        Assert.Null(result.Flag);
        Assert.Equal("—", result.RangeText);
        Assert.Equal(0, stored.DoctorsNotified);
    }

    [Fact]
    public async Task ACriticalResultFlagsTheChartForTheCareTeamOnly()
    {
        var smith = await AsAsync(Demo.Smith);
        var john = await database.UserIdAsync(Demo.John);
        var stored = await smith.EnterAsync(await EntryAsync(Demo.John, null, (Glucose, "612")));

        var chart = await (await DoctorWorkspace.SignedInAsync(database, Demo.Smith)).Flags.ForChartAsync(john);

        var flag = Assert.Single(chart.CriticalLabs, l => l.Id == stored.Results[0].Id);
        Assert.Equal("Glucose 612 mg/dL critically high", flag.Text);
        Assert.True(chart.Any);
        var others = await (await DoctorWorkspace.SignedInAsync(database, Demo.Patel)).Flags.ForPatientsAsync([john]);
        Assert.False(others.ContainsKey(john));
    }
}
