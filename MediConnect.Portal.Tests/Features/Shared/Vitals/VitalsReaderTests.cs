using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Vitals;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using static MediConnect.Portal.Tests.Features.Doctor.DoctorWorkspace;
using static MediConnect.Portal.Tests.Fixtures.Demo;

namespace MediConnect.Portal.Tests.Features.Shared.Vitals;

public sealed class VitalsReaderTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task ALinkedDoctorReadsTheReadingsNewestFirstWithinTheRange()
    {
        var john = await database.UserIdAsync(John);
        var reader = (await SignedInAsync(database, Smith)).Vitals;

        var all = await reader.ReadingsAsync(john);
        var lastMonth = await reader.ReadingsAsync(john, DateTime.UtcNow.AddDays(-30));

        Assert.True(all.Count > 20);
        Assert.Equal(all.OrderByDescending(r => r.RecordedAt).Select(r => r.Id), all.Select(r => r.Id));
        Assert.NotEmpty(lastMonth);
        Assert.True(lastMonth.Count < all.Count);
        Assert.All(lastMonth, r => Assert.True(r.RecordedAt >= DateTime.UtcNow.AddDays(-30).AddMinutes(-1)));
        Assert.Contains(all, r => r.BloodPressure == "152/96" && r.FlagOf(VitalMeasure.Systolic) == VitalFlag.High);
        Assert.Equal(all[0].Id, (await reader.LatestAsync(john))!.Id);
    }

    [Fact]
    public async Task AYearOfAWatchsReadingsIsChartedAsEachDaysLowestAndHighestValueWithTheSpikeKept()
    {
        const string email = "watch.wearer@mediconnect.demo";
        var patient = await database.DataSource.InsertReturningAsync<int>(
            "INSERT INTO users (email, password, role, name) SELECT @email, password, 'patient', 'Watch Wearer' FROM users WHERE email = @john RETURNING id",
            new { email, john = John });
        await database.DataSource.ExecuteAsync("""
            INSERT INTO patients (user_id) VALUES (@patient);
            INSERT INTO vital_signs (patient_id, heart_rate, recorded_at, device_source)
            SELECT p.id, CASE WHEN i = 37 THEN 150 ELSE 70 + i % 10 END,
                   date_trunc('day', now()) - make_interval(days => i / 4, hours => 1 + 5 * (i % 4)), 'Apple Health'
            FROM patients p, generate_series(0, 119) AS i
            WHERE p.user_id = @patient
            """, new { patient });
        var reader = (await SignedInAsync(database, email)).Vitals;
        var now = DateTime.UtcNow;

        var year = await reader.TrendAsync(patient, now.AddDays(-365), now);
        var week = await reader.TrendAsync(patient, now.AddDays(-7), now);
        var weekReadings = await reader.ReadingsAsync(patient, now.AddDays(-7));

        Assert.Equal((120, TimeSpan.FromDays(1)), (year.Readings, year.Bucket));
        Assert.InRange(year.Points.Count, 30, 62);
        Assert.Equal((70, 150), (year.Points.Min(p => p.HeartRate), year.Points.Max(p => p.HeartRate)));
        Assert.Single(year.Points, p => p.FlagOf(VitalMeasure.HeartRate) is VitalFlag.High or VitalFlag.CriticalHigh);
        Assert.Equal(weekReadings.Count, week.Readings);
        Assert.Equal(weekReadings.Select(r => r.HeartRate).Order(), week.Points.Select(p => p.HeartRate).Order());
        Assert.Equal(3, (await reader.ReadingsAsync(patient, now.AddDays(-365), limit: 3)).Count);
    }

    [Fact]
    public async Task APatientReadsOnlyTheirOwnReadings()
    {
        var john = await database.UserIdAsync(John);
        var emily = await database.UserIdAsync("emily.johnson@mediconnect.demo");
        var reader = (await SignedInAsync(database, John)).Vitals;

        Assert.NotEmpty(await reader.ReadingsAsync(john));
        await Assert.ThrowsAsync<AccessDeniedException>(() => reader.ReadingsAsync(emily));
    }

    [Fact]
    public async Task AnUnlinkedDoctorAndAnAdminAreRefused()
    {
        var john = await database.UserIdAsync(John);

        await Assert.ThrowsAsync<AccessDeniedException>(async () => await (await SignedInAsync(database, Patel)).Vitals.ReadingsAsync(john));
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await (await SignedInAsync(database, "admin@mediconnect.demo")).Vitals.LatestAsync(john));
    }

    [Fact]
    public void AReadingKnowsWhichMeasuresAreOutOfTheirNormalBand()
    {
        var reading = new VitalReading(1, DateTime.UtcNow, 135, "150/95", 36.8m, 97, 16, null, null, 212, "Manual Entry", null);

        Assert.Equal(150m, reading.ValueOf(VitalMeasure.Systolic));
        Assert.Null(reading.ValueOf(VitalMeasure.Weight));
        Assert.Equal(VitalFlag.CriticalHigh, reading.FlagOf(VitalMeasure.HeartRate));
        Assert.Equal(
            [VitalMeasure.HeartRate, VitalMeasure.Systolic, VitalMeasure.Diastolic, VitalMeasure.GlucoseLevel],
            reading.OutOfRange.Select(o => o.Range.Measure));
    }
}
