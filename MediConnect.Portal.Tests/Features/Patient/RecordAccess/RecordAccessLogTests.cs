using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Fhir;
using MediConnect.Portal.Features.Patient.RecordAccess;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Features.Doctor;
using MediConnect.Portal.Tests.Fixtures;
using static MediConnect.Portal.Tests.Fixtures.Demo;

namespace MediConnect.Portal.Tests.Features.Patient.RecordAccess;

/// <summary>"Who looked at my record" on the real audit log: who, when, what, emergencies marked, a patient only their own.</summary>
public sealed class RecordAccessLogTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    const string Reason = "Unconscious in the emergency room, need the allergy list now.";

    async Task<RecordAccessLog> LogOfAsync(string email) => new(database.DataSource, await database.SignedInAsync(email));

    Task<long> LastAuditIdAsync() => database.DataSource.QueryOneAsync<long>("SELECT max(id) FROM audit_log");

    [Fact]
    public async Task APatientSeesTheDoctorWhoOpenedTheirChart()
    {
        var smith = await DoctorWorkspace.SignedInAsync(database, Smith);
        var michael = await database.UserIdAsync(Michael);

        await smith.Chart.OpenAsync(michael);
        var opened = await LastAuditIdAsync();

        var entry = Assert.Single((await (await LogOfAsync(Michael)).ListAsync()).Entries, e => e.Id == opened);
        Assert.Equal("Dr. Sarah Smith", entry.Who);
        Assert.Equal(Roles.Doctor, entry.Role);
        Assert.Equal("Opened your chart", entry.What);
        Assert.False(entry.Emergency);
        Assert.Null(entry.EmergencyReason);
        Assert.InRange(entry.At, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(5));
    }

    [Fact]
    public async Task AnotherPatientsChartOpeningsNeverAppear()
    {
        var smith = await DoctorWorkspace.SignedInAsync(database, Smith);
        await smith.Chart.OpenAsync(await database.UserIdAsync(John));
        var johnsOpening = await LastAuditIdAsync();
        var download = await InsertDocumentDownloadAsync(Smith, await database.UserIdAsync(John));

        var michaelSees = await AllEntriesAsync(await LogOfAsync(Michael));

        Assert.DoesNotContain(michaelSees, e => e.Id == johnsOpening || e.Id == download);
        Assert.Contains((await (await LogOfAsync(John)).ListAsync()).Entries, e => e.Id == johnsOpening);
    }

    [Fact]
    public async Task AnEmergencyReadIsMarkedWithTheDoctorsReason()
    {
        var doctor = await database.SignedInAsync(await database.NewUserAsync(Roles.Doctor));
        var workspace = new DoctorWorkspace(database, doctor);
        var emily = await database.UserIdAsync(Emily);
        await workspace.Emergency.RequestAsync(emily, Reason);
        var before = await LastAuditIdAsync();

        await workspace.Chart.OpenAsync(emily);

        var emergency = (await (await LogOfAsync(Emily)).ListAsync()).Entries.Where(e => e.Id > before).ToList();
        var entry = Assert.Single(emergency);
        Assert.True(entry.Emergency);
        Assert.Equal(Reason, entry.EmergencyReason);
        Assert.Equal("Test doctor", entry.Who);
        Assert.Equal("Read your summary", entry.What);
    }

    [Fact]
    public async Task AppReadsAndDocumentDownloadsAreListedWithWhatWasRead()
    {
        var maria = await database.UserIdAsync("maria.rodriguez@mediconnect.demo");
        var smith = await database.SignedInAsync(Smith);
        await new AuditLog(smith).WriteAsync(database.DataSource, FhirCaller.ReadAction, "patient", maria,
            new { interaction = "search-type", resourceType = "Observation", resources = 3, token = "t1" });
        var fhir = await LastAuditIdAsync();
        var download = await InsertDocumentDownloadAsync(Smith, maria);

        var entries = (await (await LogOfAsync("maria.rodriguez@mediconnect.demo")).ListAsync()).Entries;

        Assert.Equal("Read your Observation data through a connected app", Assert.Single(entries, e => e.Id == fhir).What);
        Assert.Equal("Downloaded one of your documents", Assert.Single(entries, e => e.Id == download).What);
        Assert.Equal([download, fhir], entries.Select(e => e.Id).Where(id => id >= fhir).ToArray()); // newest first
    }

    [Fact]
    public async Task TheListComesAPageAtATimeNewestFirstWithNothingRepeatedOrLost()
    {
        var patientEmail = await database.NewUserAsync(Roles.Patient);
        var patient = await database.UserIdAsync(patientEmail);
        var audit = new AuditLog(await database.SignedInAsync(Smith));
        for (var i = 0; i < RecordAccessLog.PageSize + 5; i++)
            await audit.WriteAsync(database.DataSource, "chart_view", "patient", patient);
        var log = await LogOfAsync(patientEmail);

        var first = await log.ListAsync();
        var second = await log.ListAsync(first.Older);

        Assert.Equal(RecordAccessLog.PageSize, first.Entries.Count);
        Assert.NotNull(first.Older);
        Assert.Equal(5, second.Entries.Count);
        Assert.Null(second.Older);
        var ids = first.Entries.Concat(second.Entries).Select(e => e.Id).ToList();
        Assert.Equal(ids.OrderDescending(), ids);
        Assert.Equal(RecordAccessLog.PageSize + 5, ids.Distinct().Count());
    }

    [Fact]
    public async Task ANewPatientsListIsEmpty()
    {
        var page = await (await LogOfAsync(await database.NewUserAsync(Roles.Patient))).ListAsync();

        Assert.Empty(page.Entries);
        Assert.Null(page.Older);
    }

    [Theory]
    [InlineData(Smith)]
    [InlineData(Demo.Admin)]
    public async Task OnlyAPatientReadsTheList(string email)
    {
        var log = await LogOfAsync(email);

        await Assert.ThrowsAsync<AccessDeniedException>(() => log.ListAsync());
    }

    /// <summary>A download audited the way the documents feature writes it: the document's id, the patient in new_values.</summary>
    async Task<long> InsertDocumentDownloadAsync(string doctorEmail, int patientId)
    {
        var audit = new AuditLog(await database.SignedInAsync(doctorEmail));
        await audit.WriteAsync(database.DataSource, RecordAccessLog.DocumentDownloadAction, "patient_documents", 999, new { patientId });
        return await LastAuditIdAsync();
    }

    static async Task<List<RecordAccessEntry>> AllEntriesAsync(RecordAccessLog log)
    {
        var all = new List<RecordAccessEntry>();
        long? before = null;
        do
        {
            var page = await log.ListAsync(before);
            all.AddRange(page.Entries);
            before = page.Older;
        } while (before is not null);
        return all;
    }
}
