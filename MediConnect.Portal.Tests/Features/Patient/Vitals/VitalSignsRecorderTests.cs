using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Patient.Vitals;
using MediConnect.Portal.Features.Shared.Vitals;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;

namespace MediConnect.Portal.Tests.Features.Patient.Vitals;

public sealed class VitalSignsRecorderTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    async Task<VitalSignsRecorder> AsAsync(string email)
    {
        var user = await database.SignedInAsync(email);
        return new VitalSignsRecorder(database.DataSource, user, Demo.Audit(user), Demo.CareTeam(database), _time);
    }

    static IReadOnlyDictionary<string, string> ErrorsOf(Action<VitalReadingDraft> fill)
    {
        var draft = new VitalReadingDraft();
        fill(draft);
        return draft.Parse().Errors;
    }

    [Theory]
    [InlineData(nameof(VitalReadingDraft.HeartRate), "20", true)]
    [InlineData(nameof(VitalReadingDraft.HeartRate), "250", true)]
    [InlineData(nameof(VitalReadingDraft.HeartRate), "19", false)]
    [InlineData(nameof(VitalReadingDraft.HeartRate), "251", false)]
    [InlineData(nameof(VitalReadingDraft.HeartRate), "72.5", false)]
    [InlineData(nameof(VitalReadingDraft.OxygenSaturation), "50", true)]
    [InlineData(nameof(VitalReadingDraft.OxygenSaturation), "100", true)]
    [InlineData(nameof(VitalReadingDraft.OxygenSaturation), "49", false)]
    [InlineData(nameof(VitalReadingDraft.OxygenSaturation), "101", false)]
    [InlineData(nameof(VitalReadingDraft.Temperature), "30", true)]
    [InlineData(nameof(VitalReadingDraft.Temperature), "45", true)]
    [InlineData(nameof(VitalReadingDraft.Temperature), "29.9", false)]
    [InlineData(nameof(VitalReadingDraft.Temperature), "45.1", false)]
    [InlineData(nameof(VitalReadingDraft.Temperature), "36,8", true)]
    [InlineData(nameof(VitalReadingDraft.Temperature), "warm", false)]
    [InlineData(nameof(VitalReadingDraft.RespiratoryRate), "4", true)]
    [InlineData(nameof(VitalReadingDraft.RespiratoryRate), "60", true)]
    [InlineData(nameof(VitalReadingDraft.RespiratoryRate), "3", false)]
    [InlineData(nameof(VitalReadingDraft.RespiratoryRate), "61", false)]
    [InlineData(nameof(VitalReadingDraft.GlucoseLevel), "20", true)]
    [InlineData(nameof(VitalReadingDraft.GlucoseLevel), "600", true)]
    [InlineData(nameof(VitalReadingDraft.GlucoseLevel), "19", false)]
    [InlineData(nameof(VitalReadingDraft.GlucoseLevel), "601", false)]
    [InlineData(nameof(VitalReadingDraft.Weight), "0.5", true)]
    [InlineData(nameof(VitalReadingDraft.Weight), "499", true)]
    [InlineData(nameof(VitalReadingDraft.Weight), "0.4", false)]
    [InlineData(nameof(VitalReadingDraft.Weight), "499.5", false)]
    [InlineData(nameof(VitalReadingDraft.Height), "30.5", true)]
    [InlineData(nameof(VitalReadingDraft.Height), "259", true)]
    [InlineData(nameof(VitalReadingDraft.Height), "30.4", false)]
    [InlineData(nameof(VitalReadingDraft.Height), "259.1", false)]
    [InlineData(nameof(VitalReadingDraft.BloodPressure), "260/160", true)]
    [InlineData(nameof(VitalReadingDraft.BloodPressure), "50/30", true)]
    [InlineData(nameof(VitalReadingDraft.BloodPressure), "261/90", false)]
    [InlineData(nameof(VitalReadingDraft.BloodPressure), "49/30", false)]
    [InlineData(nameof(VitalReadingDraft.BloodPressure), "120/29", false)]
    [InlineData(nameof(VitalReadingDraft.BloodPressure), "120/161", false)]
    [InlineData(nameof(VitalReadingDraft.BloodPressure), "80/80", false)]
    [InlineData(nameof(VitalReadingDraft.BloodPressure), "120-80", false)]
    public void EachFieldIsCheckedAgainstItsPhysiologicalLimits(string field, string value, bool valid)
    {
        var errors = ErrorsOf(d => typeof(VitalReadingDraft).GetProperty(field)!.SetValue(d, value));

        if (valid)
            Assert.Empty(errors);
        else
            Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public void EachBadFieldGetsItsOwnClearMessage()
    {
        var errors = ErrorsOf(d =>
        {
            d.HeartRate = "300";
            d.BloodPressure = "80/120";
            d.OxygenSaturation = "88";
        });

        Assert.Equal("Heart rate must be between 20 and 250 bpm.", errors[nameof(VitalReadingDraft.HeartRate)]);
        Assert.Equal("Systolic pressure must be higher than diastolic pressure.", errors[nameof(VitalReadingDraft.BloodPressure)]);
        Assert.False(errors.ContainsKey(nameof(VitalReadingDraft.OxygenSaturation))); // low, but possible
    }

    [Fact]
    public void AnEmptyReadingAsksForAtLeastOneMeasurement()
    {
        var errors = ErrorsOf(_ => { });

        Assert.Equal("Enter at least one measurement.", Assert.Single(errors).Value);
    }

    [Fact]
    public async Task APatientRecordsAnySubsetOfMeasuresAsAManualEntry()
    {
        var recorder = await AsAsync(Demo.Emily);

        var recorded = await recorder.RecordAsync(new VitalReadingInput(Weight: 61.4m, Notes: "After breakfast"));

        var row = await database.DataSource.QueryOneAsync<(decimal? Weight, int? HeartRate, string Source, int RecordedBy)>(
            "SELECT weight, heart_rate, device_source, recorded_by FROM vital_signs WHERE id = @Id", new { recorded.Id });
        Assert.Equal(61.4m, row.Weight);
        Assert.Null(row.HeartRate);
        Assert.Equal("Manual Entry", row.Source);
        Assert.Equal(await database.UserIdAsync(Demo.Emily), row.RecordedBy);
        Assert.Empty(recorded.Findings);
        Assert.Equal(1L, await database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action = 'vital_signs_create' AND entity_id = @id", new { id = recorded.Id.ToString() }));
    }

    [Fact]
    public async Task AnInvalidReadingIsRefusedAndNothingIsStored()
    {
        var recorder = await AsAsync(Demo.Emily);
        var before = await database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM vital_signs");

        var error = await Assert.ThrowsAsync<FieldValidationException>(() =>
            recorder.RecordAsync(new VitalReadingInput(HeartRate: 72, OxygenSaturation: 120)));

        Assert.Equal([nameof(VitalReadingInput.OxygenSaturation)], error.Errors.Keys);
        Assert.Equal(before, await database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM vital_signs"));
    }

    [Fact]
    public async Task AnOutOfRangeReadingIsFlaggedWithoutTellingTheDoctors()
    {
        var recorder = await AsAsync(Demo.Michael);
        var notificationsBefore = await database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM notifications");

        var recorded = await recorder.RecordAsync(new VitalReadingInput(HeartRate: 110, GlucoseLevel: 95));

        var finding = Assert.Single(recorded.Findings);
        Assert.Equal(VitalFlag.High, finding.Flag);
        Assert.False(recorded.IsCritical);
        Assert.Equal(0, recorded.DoctorsNotified);
        Assert.Equal(notificationsBefore, await database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM notifications"));
    }

    [Fact]
    public async Task ACriticalReadingCreatesAnInAppNotificationForEachOfThePatientsDoctors()
    {
        var recorder = await AsAsync(Demo.John);
        var john = await database.UserIdAsync(Demo.John);
        var doctors = await Demo.CareTeam(database).DoctorsOfAsync(john);

        var recorded = await recorder.RecordAsync(new VitalReadingInput(BloodPressure: new BloodPressure(185, 110), HeartRate: 80));

        Assert.True(recorded.IsCritical);
        Assert.Equal(doctors.Count, recorded.DoctorsNotified);
        var smith = await database.UserIdAsync(Demo.Smith);
        Assert.Contains(smith, doctors);
        foreach (var doctor in doctors)
        {
            var note = await database.DataSource.QueryOneAsync<(string Type, string Title, string Message)>(
                "SELECT type, title, message FROM notifications WHERE user_id = @doctor AND data->>'vitalSignId' = @id",
                new { doctor, id = recorded.Id.ToString() });
            Assert.Equal("in_app", note.Type);
            Assert.Equal("Critical vital sign: John Doe", note.Title);
            Assert.Contains("Systolic pressure 185 mmHg is critically high", note.Message);
        }
    }

    [Fact]
    public async Task OnlyPatientsRecordReadings()
    {
        var doctor = await AsAsync(Demo.Smith);

        await Assert.ThrowsAsync<AccessDeniedException>(() => doctor.RecordAsync(new VitalReadingInput(HeartRate: 70)));
    }
}
