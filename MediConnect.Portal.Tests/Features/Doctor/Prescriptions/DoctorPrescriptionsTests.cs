using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Doctor.Prescriptions;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using static MediConnect.Portal.Tests.Features.Doctor.DoctorWorkspace;
using static MediConnect.Portal.Tests.Fixtures.Demo;

namespace MediConnect.Portal.Tests.Features.Doctor.Prescriptions;

public sealed class DoctorPrescriptionsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    async Task<PrescriptionDraft> DraftForJohnAsync(string medication = "Amlodipine") => new()
    {
        PatientUserId = await database.UserIdAsync(John),
        Medication = medication,
        Dosage = "5 mg",
        Frequency = "Once daily",
        Duration = "90 days",
        Quantity = 90,
        Refills = 1,
        Pharmacy = "CVS Pharmacy",
        Instructions = "Take in the morning.",
        ExpirationDate = DateTime.Today.AddMonths(6),
    };

    Task<long> CountAsync(string medication) =>
        database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM prescriptions WHERE medication = @medication", new { medication });

    [Fact]
    public async Task ADoctorPrescribesForTheirPatientAndTheWriteIsAudited()
    {
        var service = (await SignedInAsync(database, Smith)).Prescriptions;

        var row = await service.PrescribeAsync(await DraftForJohnAsync());

        Assert.Equal("pending", row.Status);
        Assert.Equal("Dr. Sarah Smith", row.DoctorName);
        Assert.Equal(DateOnly.FromDateTime(DateTime.Today.AddMonths(6)), row.ExpirationDate);
        var audit = await database.DataSource.QueryOneAsync<(string, string)>(
            "SELECT action, new_values::text FROM audit_log WHERE entity_type = 'prescription' AND entity_id = @id",
            new { id = row.Id.ToString() });
        Assert.Equal("prescription_create", audit.Item1);
        Assert.Contains("\"medication\"", audit.Item2); // the field's name, not the medication
        Assert.DoesNotContain("Amlodipine", audit.Item2);
    }

    [Fact]
    public async Task InvalidFieldsAreRefusedWithAMessagePerFieldAndNothingIsWritten()
    {
        var service = (await SignedInAsync(database, Smith)).Prescriptions;
        var draft = await DraftForJohnAsync("Valsartan");
        draft.Dosage = " ";
        draft.Frequency = "";
        draft.Quantity = 0;
        draft.Refills = 13;
        draft.ExpirationDate = DateTime.Today.AddDays(-1);

        var error = await Assert.ThrowsAsync<FieldValidationException>(() => service.PrescribeAsync(draft));

        Assert.Equal(["Dosage", "ExpirationDate", "Frequency", "Quantity", "Refills"], error.Errors.Keys.Order());
        Assert.Equal("Dosage is required.", error.Errors["Dosage"]);
        Assert.Equal(0, await CountAsync("Valsartan"));
        draft.Medication = "";
        Assert.Contains("Medication", DoctorPrescriptions.Validate(draft, DateOnly.FromDateTime(DateTime.Today)).Keys);
    }

    [Fact]
    public async Task TheWarningReadsTheStructuredAllergiesAndStillTheFreeTextThatMatches()
    {
        var smith = await database.SignedInAsync(Smith);
        var service = (await SignedInAsync(database, Smith)).Prescriptions;
        var allergies = new MediConnect.Portal.Features.Shared.ProblemList.ProblemListService(
            database.DataSource, smith, CareTeam(database), ChartAccess(database, smith), Audit(smith), TimeProvider.System);
        var john = await database.UserIdAsync(John);

        var codeine = await allergies.AddAllergyAsync(john, new() { Substance = "Codeine", Reaction = "Vomiting" });
        Assert.Equal("Codeine", Assert.Single(await service.AllergyMatchesAsync(john, "Tramadol 50 mg")).Allergy);
        await Assert.ThrowsAsync<AllergyWarningException>(() => service.PrescribeAsync(DraftFor(john, "Tramadol")));

        await allergies.InactivateAllergyAsync(codeine.Id);
        Assert.Empty(await service.AllergyMatchesAsync(john, "Tramadol 50 mg"));

        // John's structured Penicillin entry inactivated: the free text the clinic kept still warns.
        var penicillin = (await allergies.ForChartAsync(john)).Allergies.Single(a => a.Substance == "Penicillin" && a.IsActive);
        await allergies.InactivateAllergyAsync(penicillin.Id);
        Assert.Equal("Penicillin", Assert.Single(await service.AllergyMatchesAsync(john, "Amoxicillin")).Allergy);
    }

    static PrescriptionDraft DraftFor(int patientUserId, string medication) => new()
    {
        PatientUserId = patientUserId, Medication = medication, Dosage = "50 mg", Frequency = "Twice daily", Quantity = 10,
    };

    [Fact]
    public async Task AMedicationMatchingARecordedAllergyNeedsTheDoctorsAcknowledgement()
    {
        var service = (await SignedInAsync(database, Smith)).Prescriptions;
        var draft = await DraftForJohnAsync("Amoxicillin");

        var warning = await Assert.ThrowsAsync<AllergyWarningException>(() => service.PrescribeAsync(draft));
        Assert.Equal("Penicillin", Assert.Single(warning.Matches).Allergy);
        Assert.Equal(0, await CountAsync("Amoxicillin"));
        Assert.Single(await service.AllergyMatchesAsync(draft.PatientUserId, "amoxicillin"));
        Assert.Empty(await service.AllergyMatchesAsync(draft.PatientUserId, "Lisinopril"));

        var row = await service.PrescribeAsync(draft, allergyWarningAcknowledged: true);
        var acknowledged = await database.DataSource.QueryOneAsync<bool>(
            "SELECT (new_values->>'allergyWarningAcknowledged')::boolean FROM audit_log WHERE entity_type = 'prescription' AND entity_id = @id",
            new { id = row.Id.ToString() });
        Assert.True(acknowledged);
    }

    [Theory]
    [InlineData("Penicillin", "Penicillin V potassium", true)]
    [InlineData("penicillin", "AMOXICILLIN", true)]
    [InlineData("Penicillin, Sulfa drugs", "Ampicillin", true)]
    [InlineData("Sulfa drugs", "Sulfamethoxazole-trimethoprim", true)]
    [InlineData("Peanuts, Tree nuts", "Peanut oil emulsion", true)]
    [InlineData("Codeine", "Codeine phosphate", true)]
    [InlineData("Penicillin", "Lisinopril", false)]
    [InlineData("Latex", "Atorvastatin", false)]
    [InlineData(null, "Amoxicillin", false)]
    public void AllergiesMatchByWordAndByDrugClass(string? allergies, string medication, bool matches) =>
        Assert.Equal(matches, AllergyMatcher.Match(allergies, medication).Count > 0);

    public static TheoryData<string, string> AllowedMoves => new()
    {
        { "pending", "active" }, { "active", "filled" }, { "active", "dispensed" }, { "filled", "dispensed" },
        { "filled", "completed" }, { "dispensed", "completed" },
        { "pending", "cancelled" }, { "active", "cancelled" }, { "filled", "cancelled" }, { "dispensed", "cancelled" },
    };

    public static TheoryData<string, string> RefusedMoves => new()
    {
        { "pending", "filled" }, { "pending", "completed" }, { "active", "pending" }, { "active", "completed" },
        { "filled", "active" }, { "dispensed", "filled" }, { "completed", "active" }, { "completed", "cancelled" },
        { "cancelled", "active" }, { "pending", "expired" },
    };

    async Task<int> PrescriptionInAsync(string status)
    {
        var service = (await SignedInAsync(database, Smith)).Prescriptions;
        var row = await service.PrescribeAsync(await DraftForJohnAsync($"Test drug {status} {Guid.NewGuid():N}"));
        await database.DataSource.ExecuteAsync(
            "UPDATE prescriptions SET status = @status, cancellation_reason = CASE WHEN @status = 'cancelled' THEN 'test' END WHERE id = @id",
            new { status, id = row.Id });
        return row.Id;
    }

    [Theory]
    [MemberData(nameof(AllowedMoves))]
    public async Task AnAllowedLifecycleMoveIsSavedWithItsAuditRow(string from, string to)
    {
        var id = await PrescriptionInAsync(from);
        var service = (await SignedInAsync(database, Smith)).Prescriptions;

        var row = await service.MoveAsync(id, to, to == "cancelled" ? "Switched to another drug" : null);

        Assert.Equal(to, row.Status);
        Assert.Equal(to == "cancelled" ? "Switched to another drug" : null, row.CancellationReason);
        Assert.Equal(1, await database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action = 'prescription_status_change' AND entity_id = @id AND old_values->>'status' = @from AND new_values->>'status' = @to",
            new { id = id.ToString(), from, to }));
    }

    [Theory]
    [MemberData(nameof(RefusedMoves))]
    public async Task AnInvalidLifecycleMoveIsRefused(string from, string to)
    {
        var id = await PrescriptionInAsync(from);
        var service = (await SignedInAsync(database, Smith)).Prescriptions;

        await Assert.ThrowsAsync<BusinessRuleException>(() => service.MoveAsync(id, to, "reason"));

        Assert.Equal(from, await database.DataSource.QueryOneAsync<string>("SELECT status FROM prescriptions WHERE id = @id", new { id }));
        Assert.Equal(0, await database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'prescription_status_change' AND entity_id = @id", new { id = id.ToString() }));
    }

    [Fact]
    public async Task CancellingAPrescriptionNeedsAReason()
    {
        var id = await PrescriptionInAsync("active");
        var service = (await SignedInAsync(database, Smith)).Prescriptions;

        var error = await Assert.ThrowsAsync<BusinessRuleException>(() => service.MoveAsync(id, "cancelled", ""));
        Assert.Contains("reason", error.Message);
    }

    [Fact]
    public async Task ADoctorCannotPrescribeForAnotherDoctorsPatientOrMoveTheirPrescriptions()
    {
        var patel = (await SignedInAsync(database, Patel)).Prescriptions;
        var id = await PrescriptionInAsync("active");

        await Assert.ThrowsAsync<AccessDeniedException>(async () => await patel.PrescribeAsync(await DraftForJohnAsync("Losartan")));
        await Assert.ThrowsAsync<AccessDeniedException>(() => patel.MoveAsync(id, "filled"));
        Assert.Equal(0, await CountAsync("Losartan"));
    }

    [Fact]
    public async Task PrescribingFromAnAppointmentLinksItAndRefusesSomeoneElsesAppointment()
    {
        var service = (await SignedInAsync(database, Smith)).Prescriptions;
        var mine = await InsertAppointmentAsync(database, "in_progress");
        var patels = await InsertAppointmentAsync(database, "scheduled", patient: "emily.johnson@mediconnect.demo", doctor: Patel);

        var draft = await DraftForJohnAsync("Chlorthalidone");
        draft.AppointmentId = mine;
        Assert.Equal(mine, (await service.PrescribeAsync(draft)).AppointmentId);

        draft.AppointmentId = patels;
        await Assert.ThrowsAsync<BusinessRuleException>(() => service.PrescribeAsync(draft));
        Assert.Equal(1, await CountAsync("Chlorthalidone"));
    }
}
