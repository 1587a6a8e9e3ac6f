using Bunit;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Doctor.Labs;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.AspNetCore.Components.Forms;
using static MediConnect.Portal.Tests.Fixtures.Demo;

namespace MediConnect.Portal.Tests.Features.Doctor.Labs;

public sealed class LabImportPageTests(TestDatabase database) : DatabaseComponentTest(database), IClassFixture<TestDatabase>
{
    static string Yesterday(int hour) => DateTime.UtcNow.Date.AddDays(-1).AddHours(hour).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

    static string Csv(params string[] lines) => string.Join("\n", [LabCsvImport.Header, .. lines]);

    Task<long> CountAsync() => Database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM lab_results");

    async Task<IRenderedComponent<LabImportPage>> UploadAsync(string csv)
    {
        await SignInAsync(Smith);
        var cut = Render<LabImportPage>();
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(csv, "lab.csv"));
        return cut;
    }

    [Fact]
    public async Task AFileWithABadLineShowsTheLineAndWhatIsWrongAndStoresNothing()
    {
        var before = await CountAsync();

        var cut = await UploadAsync(Csv(
            $"john.doe@mediconnect.demo,1980-03-14,2345-7,101,mg/dL,{Yesterday(8)},{Yesterday(10)},final",
            $"john.doe@mediconnect.demo,1980-03-14,2823-3,5.0,mg/dL,{Yesterday(8)},{Yesterday(10)},final"));

        await cut.WaitForAssertionAsync(() =>
        {
            var row = Assert.Single(cut.FindAll("#lab-import-errors tbody tr.mud-table-row"));
            Assert.Contains("3", row.Children[0].TextContent);
            Assert.Contains("the unit of 2823-3 must be mmol/L, not mg/dL", row.Children[1].TextContent);
        });
        Assert.Contains("nothing was stored", cut.Markup);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task AFileWithoutErrorsIsStoredAndTheCountShown()
    {
        var before = await CountAsync();

        var cut = await UploadAsync(Csv(
            $"john.doe@mediconnect.demo,1980-03-14,2345-7,101,mg/dL,{Yesterday(8)},{Yesterday(10)},final",
            $"john.doe@mediconnect.demo,1980-03-14,718-7,14.2,g/dL,{Yesterday(8)},{Yesterday(10)},preliminary"));

        await cut.WaitForAssertionAsync(() => Assert.Contains("2 result(s) stored", cut.Find("#lab-import-stored").TextContent));
        Assert.Empty(cut.FindAll("#lab-import-errors"));
        Assert.Equal(before + 2, await CountAsync());
    }
}
