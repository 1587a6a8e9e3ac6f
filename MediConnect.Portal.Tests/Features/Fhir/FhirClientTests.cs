using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Account.ConnectedApps;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using Task = System.Threading.Tasks.Task;

namespace MediConnect.Portal.Tests.Features.Fhir;

/// <summary>
/// Another clinic's software, built on nothing but the Firely SDK's <see cref="FhirClient"/>,
/// against the real portal on a real port: it checks the server's FHIR version, reads a patient,
/// searches vital signs by code and date and follows the paging links to the end.
/// </summary>
public sealed class FhirClientTests(FhirPortal fhir) : IClassFixture<FhirPortal>
{
    FhirClient ClientFor(string token)
    {
        var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new FhirClient(fhir.FhirBase, http, new FhirClientSettings { PreferredFormat = ResourceFormat.Json, VerifyFhirVersion = true });
    }

    [Fact]
    public async Task AFhirClientReadsAPatientSearchesObservationsByCodeAndDateAndFollowsThePages()
    {
        var john = await fhir.Database.UserIdAsync(Demo.John);
        using var client = ClientFor(await fhir.TokenAsync(Demo.Smith));

        var patient = await client.ReadAsync<Hl7.Fhir.Model.Patient>($"Patient/{john}");
        Assert.Equal("John Doe", patient!.Name[0].Text);
        Assert.Equal("1980-03-14", patient.BirthDate);

        var from = DateOnly.FromDateTime(DateTime.Now.AddDays(-60));
        var to = DateOnly.FromDateTime(DateTime.Now.AddDays(-5));
        var search = new SearchParams()
            .Add("patient", $"Patient/{john}")
            .Add("code", "http://loinc.org|8867-4")
            .Add("date", $"ge{from:yyyy-MM-dd}")
            .Add("date", $"lt{to:yyyy-MM-dd}")
            .LimitTo(4);
        var pages = 0;
        var found = new List<Observation>();
        for (var bundle = await client.SearchAsync<Observation>(search); bundle is not null; bundle = await client.ContinueAsync(bundle))
        {
            pages++;
            Assert.True(bundle.Entry.Count <= 4);
            found.AddRange(bundle.Entry.Select(e => (Observation)e.Resource!));
        }

        var expected = await fhir.Database.DataSource.QueryListAsync<int>(
            """
            SELECT v.id FROM vital_signs v JOIN patients p ON p.id = v.patient_id
            WHERE p.user_id = @john AND v.heart_rate IS NOT NULL AND v.recorded_at >= @start AND v.recorded_at < @end
            ORDER BY v.recorded_at DESC, v.id DESC
            """, new { john, start = LocalMidnightUtc(from), end = LocalMidnightUtc(to) });
        Assert.True(expected.Count > 8, $"The demo data should give several pages, but has {expected.Count} readings");
        Assert.Equal(expected.Select(id => $"{id}-heart-rate"), found.Select(o => o.Id));
        Assert.Equal((expected.Count + 3) / 4, pages);
        Assert.All(found, o => Assert.Equal("8867-4", o.Code!.Coding[0].Code));
        Assert.All(found, o => Assert.Equal("/min", ((Quantity)o.Value!).Code));
    }

    [Fact]
    public async Task AFhirClientSeesForbiddenIdsAsNotFoundAndARevokedTokenAsGone()
    {
        var emily = await fhir.Database.UserIdAsync(Demo.Emily);
        var user = await fhir.Database.SignedInAsync(Demo.John);
        var tokens = new AccessTokenService(fhir.Database.DataSource, user, new AuditLog(user), TimeProvider.System);
        var created = await tokens.CreateAsync(new AccessTokenRequest("Phone app", ScopeContext.Patient, [], 7));
        using var client = ClientFor(created.Token);

        var notFound = await Assert.ThrowsAsync<FhirOperationException>(() => client.ReadAsync<Hl7.Fhir.Model.Patient>($"Patient/{emily}"));
        Assert.Equal(HttpStatusCode.NotFound, notFound.Status);
        Assert.Equal(OperationOutcome.IssueType.NotFound, notFound.Outcome!.Issue[0].Code);

        Assert.True(await tokens.RevokeAsync(created.Summary.Id));
        var gone = await Assert.ThrowsAsync<FhirOperationException>(() => client.SearchAsync<Observation>(new SearchParams().LimitTo(1)));
        Assert.Equal(HttpStatusCode.Gone, gone.Status);
    }

    static DateTime LocalMidnightUtc(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, TimeZoneInfo.Local.GetUtcOffset(local)).UtcDateTime;
    }
}
