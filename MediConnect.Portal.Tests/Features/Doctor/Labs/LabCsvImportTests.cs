using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Doctor.Labs;
using MediConnect.Portal.Features.Shared.Labs;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;

namespace MediConnect.Portal.Tests.Features.Doctor.Labs;

public sealed class LabCsvImportTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    async Task<LabCsvImport> AsAsync(string email)
    {
        var user = await database.SignedInAsync(email);
        var careTeam = Demo.CareTeam(database);
        return new LabCsvImport(database.DataSource, user, careTeam, new LabResultEntry(database.DataSource, user, careTeam, Demo.Audit(user), _time));
    }

    string Csv(params string[] lines) => string.Join("\n", [LabCsvImport.Header, .. lines]);

    string Yesterday(int hour) => _time.GetUtcNow().UtcDateTime.Date.AddDays(-1).AddHours(hour).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

    Task<long> CountAsync() => database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM lab_results");

    [Fact]
    public async Task AValidFileIsStoredWholeWithFlagsFromTheDatabase()
    {
        var import = await AsAsync(Demo.Smith);

        var report = await import.ImportAsync(new StringReader(Csv(
            $"john.doe@mediconnect.demo,1980-03-14,2823-3,6.5,mmol/L,{Yesterday(8)},{Yesterday(10)},final",
            $"\"JOHN.DOE@mediconnect.demo\",1980-03-14,718-7,14.2,g/dL,{Yesterday(8)},{Yesterday(10)},preliminary")));

        Assert.True(report.Imported);
        Assert.Empty(report.Errors);
        Assert.Equal([LabFlags.CriticalHigh, LabFlags.Normal], report.Stored!.Results.Select(r => r.Flag));
        Assert.True(report.Stored.DoctorsNotified > 0);
    }

    [Fact]
    public async Task OneBadLineIsReportedByNumberAndNothingIsStored()
    {
        var import = await AsAsync(Demo.Smith);
        var before = await CountAsync();

        var report = await import.ImportAsync(new StringReader(Csv(
            $"john.doe@mediconnect.demo,1980-03-14,2345-7,101,mg/dL,{Yesterday(8)},{Yesterday(10)},final",
            $"john.doe@mediconnect.demo,1980-03-14,2823-3,5.0,mg/dL,{Yesterday(8)},{Yesterday(10)},final",
            $"john.doe@mediconnect.demo,1981-01-01,2345-7,abc,mg/dL,2026-12-07 08:00,{Yesterday(10)},done",
            $"linda.martinez@mediconnect.demo,1983-10-09,2345-7,90,mg/dL,{Yesterday(8)},{Yesterday(10)},final")));

        Assert.False(report.Imported);
        Assert.Equal([3, 4, 5], report.Errors.Select(e => e.Line));
        Assert.Equal("the unit of 2823-3 must be mmol/L, not mg/dL", report.Errors[0].Message);
        Assert.Contains("no patient has this email and date of birth", report.Errors[1].Message);
        Assert.Contains("value must be a number", report.Errors[1].Message);
        Assert.Contains("specimen_time must be a time with its offset", report.Errors[1].Message);
        Assert.Equal("this patient is not one of yours", report.Errors[2].Message);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task AFileWithoutTheHeaderIsRefusedWithTheExpectedHeader()
    {
        var import = await AsAsync(Demo.Smith);

        var report = await import.ImportAsync(new StringReader("email,test,value\njohn,2345-7,90"));

        Assert.Equal($"The first line must be the header: {LabCsvImport.Header}", Assert.Single(report.Errors).Message);
    }
}
