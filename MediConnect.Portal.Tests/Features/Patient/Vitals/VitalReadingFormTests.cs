using Bunit;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Patient.Vitals;
using MediConnect.Portal.Features.Shared.Vitals;
using MediConnect.Portal.Tests.Fixtures;

namespace MediConnect.Portal.Tests.Features.Patient.Vitals;

public sealed class VitalReadingFormTests(TestDatabase database) : DatabaseComponentTest(database), IClassFixture<TestDatabase>
{
    Task<long> ReadingCountAsync() => Database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM vital_signs");

    [Fact]
    public async Task AnOutOfLimitsFieldShowsItsMessageAndFixingItSavesTheReading()
    {
        await SignInAsync(Demo.Emily);
        RecordedReading? recorded = null;
        var cut = Render<VitalReadingForm>(p => p.Add(c => c.OnRecorded, r => recorded = r));
        var before = await ReadingCountAsync();

        await cut.Find("#vital-HeartRate").ChangeAsync("300");
        await cut.Find("#vital-Temperature").ChangeAsync("36.9");
        await cut.Find("#save-reading").ClickAsync(new());

        Assert.Contains("Heart rate must be between 20 and 250 bpm.", cut.Markup);
        Assert.DoesNotContain("Temperature must be", cut.Markup);
        Assert.Null(recorded);
        Assert.Equal(before, await ReadingCountAsync());

        await cut.Find("#vital-HeartRate").ChangeAsync("72");
        await cut.Find("#save-reading").ClickAsync(new());

        await cut.WaitForAssertionAsync(() => Assert.NotNull(recorded));
        Assert.DoesNotContain("Heart rate must be", cut.Markup);
        Assert.Equal(before + 1, await ReadingCountAsync());
        Assert.Empty(recorded!.Findings);
    }

    [Fact]
    public async Task EachInvalidFieldGetsItsOwnMessage()
    {
        await SignInAsync(Demo.Emily);
        var cut = Render<VitalReadingForm>();

        await cut.Find("#vital-BloodPressure").ChangeAsync("80/120");
        await cut.Find("#vital-OxygenSaturation").ChangeAsync("101");
        await cut.Find("#vital-Weight").ChangeAsync("heavy");
        await cut.Find("#save-reading").ClickAsync(new());

        Assert.Contains("Systolic pressure must be higher than diastolic pressure.", cut.Markup);
        Assert.Contains("Oxygen saturation must be between 50 and 100 %.", cut.Markup);
        Assert.Contains("Weight must be a number (kg).", cut.Markup);
    }

    [Fact]
    public async Task AnEmptyFormAsksForAtLeastOneMeasurement()
    {
        await SignInAsync(Demo.Emily);
        var cut = Render<VitalReadingForm>();

        await cut.Find("#save-reading").ClickAsync(new());

        Assert.Equal("Enter at least one measurement.", cut.Find("#vital-form-error").TextContent.Trim());
    }
}
