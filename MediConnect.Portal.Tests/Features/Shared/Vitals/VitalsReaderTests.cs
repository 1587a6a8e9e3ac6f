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
