using MediConnect.Portal.Data;
using Bunit;
using MediConnect.Portal.Features.Patient.Vitals;
using MediConnect.Portal.Tests.Components.Errors;
using MediConnect.Portal.Tests.Fixtures;
using Npgsql;

namespace MediConnect.Portal.Tests.Features.Patient.Vitals;

/// <summary>
/// Saving a reading while no host is a writable primary (Npgsql's "No suitable host was found",
/// as during a failover): the form says "Not saved", keeps what was typed, stores nothing.
/// </summary>
public sealed class VitalReadingFormOutageTests(TestDatabase database)
    : DatabaseComponentTest(database, dataSource: NoWritablePrimary(database)), IClassFixture<TestDatabase>
{
    static NpgsqlDataSource NoWritablePrimary(TestDatabase database) =>
        NpgsqlDataSource.Create(OutageShapeTests.TwoHosts(database.ConnectionString, "Target Session Attributes=read-write;Options=-c default_transaction_read_only=on"));

    [Fact]
    public async Task TheFormSaysNotSavedAndKeepsWhatWasTyped()
    {
        await SignInAsync(Demo.Emily);
        var before = await Database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM vital_signs");
        var cut = Render<VitalReadingForm>();

        await cut.Find("#vital-HeartRate").ChangeAsync("71");
        await cut.Find("#save-reading").ClickAsync(new());

        await cut.WaitForAssertionAsync(() => Assert.Equal(OutageShapeTests.NotSaved, cut.Find("#vital-save-failure").TextContent.Trim()));
        Assert.Equal("71", cut.Find("#vital-HeartRate").GetAttribute("value"));
        Assert.Equal(before, await Database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM vital_signs"));
    }
}
