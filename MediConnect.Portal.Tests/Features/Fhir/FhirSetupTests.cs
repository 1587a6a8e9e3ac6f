using System.Net;
using Hl7.Fhir.Model;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Account;
using MediConnect.Portal.Features.Fhir;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Features.Account;
using MediConnect.Portal.Tests.Fixtures;
using Task = System.Threading.Tasks.Task;

namespace MediConnect.Portal.Tests.Features.Fhir;

/// <summary>The API's front door over real HTTP: tokens (401, 410), errors as OperationOutcomes, metadata, and the audit trail of every read.</summary>
public sealed class FhirSetupTests(FhirPortal fhir) : IClassFixture<FhirPortal>
{
    static async Task<(HttpStatusCode Status, OperationOutcome Outcome, HttpResponseMessage Response)> OutcomeAsync(HttpClient client, string path, HttpMethod? method = null)
    {
        var response = await client.SendAsync(new HttpRequestMessage(method ?? HttpMethod.Get, path));
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        var outcome = System.Text.Json.JsonSerializer.Deserialize<Resource>(await response.Content.ReadAsStringAsync(), FhirPortal.Json);
        return (response.StatusCode, Assert.IsType<OperationOutcome>(outcome), response);
    }

    [Fact]
    public async Task MetadataIsPublicAndListsExactlyTheServedTypesAndTheirSearchParameters()
    {
        using var anonymous = fhir.Client(null);
        var (status, resource) = await FhirPortal.GetAsync(anonymous, "metadata");

        Assert.Equal(200, status);
        var statement = Assert.IsType<CapabilityStatement>(resource);
        Assert.Equal(FHIRVersion.N4_0_1, statement.FhirVersion);
        var served = statement.Rest[0].Resource;
        Assert.Equal(ApiAccess.ResourceTypes.Order(), served.Select(r => r.Type).Order());
        Assert.Equal(["_count", "_sort", "category", "code", "date", "patient"],
            served.Single(r => r.Type == "Observation").SearchParam.Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Empty(served.Single(r => r.Type == "Practitioner").SearchParam);
        Assert.Equal("everything", served.Single(r => r.Type == "Patient").Operation.Single().Name);
    }

    [Fact]
    public async Task WithoutAValidTokenTheAnswerIs401AndARevokedTokenIs410()
    {
        var patient = $"Patient/{await fhir.Database.UserIdAsync(Demo.John)}";
        using var none = fhir.Client(null);
        var (status, outcome, response) = await OutcomeAsync(none, patient);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(OperationOutcome.IssueType.Login, outcome.Issue[0].Code);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString());

        using var forged = fhir.Client("mcp_" + new string('A', 43));
        Assert.Equal(HttpStatusCode.Unauthorized, (await OutcomeAsync(forged, patient)).Status);
        using var garbage = fhir.Client("not-a-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await OutcomeAsync(garbage, patient)).Status);

        var token = await fhir.TokenAsync(Demo.John);
        await fhir.Database.DataSource.ExecuteAsync("UPDATE api_tokens SET revoked_at = now() WHERE token_hash = @hash", new { hash = ApiAccess.Hash(token) });
        using var revoked = fhir.Client(token);
        (status, outcome, _) = await OutcomeAsync(revoked, patient);
        Assert.Equal(HttpStatusCode.Gone, status);
        Assert.Contains("revoked", outcome.Issue[0].Diagnostics);
    }

    [Fact]
    public async Task AnExpiredTokenOrADeactivatedOwnerIsRefused()
    {
        var expired = await fhir.TokenAsync(Demo.Emily);
        await fhir.Database.DataSource.ExecuteAsync(
            "UPDATE api_tokens SET created_at = now() - interval '10 days', expires_at = now() - interval '1 day' WHERE token_hash = @hash",
            new { hash = ApiAccess.Hash(expired) });
        using var client = fhir.Client(expired);
        var (status, outcome, _) = await OutcomeAsync(client, "Observation");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("expired", outcome.Issue[0].Diagnostics);

        var token = await fhir.TokenAsync("noah.kim@mediconnect.demo");
        using var noah = fhir.Client(token);
        Assert.Equal(200, (await FhirPortal.GetAsync(noah, "Observation?_count=1")).Status);
        await fhir.Database.DataSource.ExecuteAsync("UPDATE users SET is_active = false WHERE email = 'noah.kim@mediconnect.demo'");
        Assert.Equal(HttpStatusCode.Unauthorized, (await OutcomeAsync(noah, "Observation?_count=1")).Status);
    }

    [Fact]
    public async Task ASignInCookieDoesNotOpenTheApi()
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = fhir.BaseAddress };
        await AccountHttp.SignInAsync(browser, SignIn.PatientEmail, SignIn.PatientPassword);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account/connected-apps")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await OutcomeAsync(browser, "/fhir/r4/Observation")).Status);
    }

    [Theory]
    [InlineData("Observation?colour=red", HttpStatusCode.BadRequest, "colour")]
    [InlineData("Observation?_count=0", HttpStatusCode.BadRequest, "_count")]
    [InlineData("Observation?date=2025-13-01", HttpStatusCode.BadRequest, "date")]
    [InlineData("Observation?date=ap2025-01-01", HttpStatusCode.BadRequest, "prefix")]
    [InlineData("Observation?_sort=code", HttpStatusCode.BadRequest, "_sort")]
    [InlineData("Observation?_cursor=bm9wZQ", HttpStatusCode.BadRequest, "_cursor")]
    [InlineData("Observation?patient=Practitioner/2", HttpStatusCode.BadRequest, "patient")]
    [InlineData("Appointment?status=done", HttpStatusCode.BadRequest, "done")]
    [InlineData("Observation?_format=xml", HttpStatusCode.NotAcceptable, "JSON")]
    [InlineData("Encounter", HttpStatusCode.NotFound, "Encounter")]
    [InlineData("Patient/7/_history", HttpStatusCode.NotFound, "metadata")]
    [InlineData("Practitioner", HttpStatusCode.MethodNotAllowed, "read by id")]
    public async Task ABadRequestGetsAnOperationOutcomeThatSaysWhatIsWrong(string path, HttpStatusCode expected, string mentions)
    {
        using var client = fhir.Client(await fhir.TokenAsync(Demo.Smith));
        var (status, outcome, _) = await OutcomeAsync(client, path);
        Assert.Equal(expected, status);
        Assert.Contains(mentions, outcome.Issue[0].Diagnostics);
    }

    [Fact]
    public async Task WritesAreRefusedAsReadOnly()
    {
        using var client = fhir.Client(await fhir.TokenAsync(Demo.Smith));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await OutcomeAsync(client, "Patient", HttpMethod.Post)).Status);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await OutcomeAsync(client, "Patient/7", HttpMethod.Delete)).Status);
    }

    [Fact]
    public async Task EveryReadOfAPatientsDataIsAuditedWithTheTokenOwnerAndRefusalsToo()
    {
        var smith = await fhir.Database.UserIdAsync(Demo.Smith);
        var john = await fhir.Database.UserIdAsync(Demo.John);
        var emily = await fhir.Database.UserIdAsync(Demo.Emily);
        using var client = fhir.Client(await fhir.TokenAsync(Demo.Smith));
        Task<long> CountAsync(string action, string entityType, object entityId) => fhir.Database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM audit_log WHERE user_id = @smith AND action = @action AND entity_type = @entityType AND entity_id = @id",
            new { smith, action, entityType, id = entityId.ToString() });
        var readsBefore = await CountAsync(FhirCaller.ReadAction, "patient", john);

        await FhirPortal.GetAsync(client, $"Patient/{john}");
        await FhirPortal.GetAsync(client, $"Observation?patient={john}&_count=2");
        await FhirPortal.GetAsync(client, $"Patient/{emily}");

        Assert.Equal(readsBefore + 2, await CountAsync(FhirCaller.ReadAction, "patient", john));
        Assert.Equal(0, await CountAsync(FhirCaller.ReadAction, "patient", emily));
        Assert.Equal(1, await CountAsync(FhirCaller.DeniedAction, "Patient", emily));
        var row = await fhir.Database.DataSource.QueryOneAsync<(string, string)>(
            "SELECT new_values::text, ip_address FROM audit_log WHERE user_id = @smith AND action = @action ORDER BY id DESC LIMIT 1",
            new { smith, action = FhirCaller.ReadAction });
        Assert.Contains("\"resourceType\": \"Observation\"", row.Item1);
        Assert.Equal("127.0.0.1", row.Item2);
        Assert.NotNull(await fhir.Database.DataSource.QueryOneAsync<DateTime?>(
            "SELECT max(last_used_at) FROM api_tokens WHERE user_id = @smith", new { smith }));
    }

    [Theory]
    [InlineData("nightly export", "-1", "whole number of days from 1 to 365")]
    [InlineData("nightly export", "99999999999", "whole number of days from 1 to 365")]
    [InlineData("nightly export", "100000", "whole number of days from 1 to 365")]
    [InlineData("nightly export", "0", "whole number of days from 1 to 365")]
    [InlineData("nightly export", "seven", "whole number of days from 1 to 365")]
    [InlineData("curl\u0007", "7", "invisible control character (U+0007)")]
    [InlineData("\u202Elruc", "7", "reverses or reorders text")]
    [InlineData("line\none", "7", "must fit on one line")]
    public async Task AScriptsBadTokenNameOrExpiryIsA400ThatSaysWhatIsWrongAndStoresNothing(string name, string days, string message)
    {
        using var http = new HttpClient { BaseAddress = fhir.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/api-tokens")
        {
            Headers = { Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{SignIn.PatientEmail}:{SignIn.PatientPassword}"))) },
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = name, ["scope"] = "patient", ["expires_in_days"] = days }),
        };
        const string countSql = "SELECT count(*) FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE u.email = @email AND t.name = @name";

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("fields").ToString());
        Assert.Equal(0, await fhir.Database.DataSource.QueryOneAsync<long>(countSql, new { email = SignIn.PatientEmail, name }));
    }

    [Fact]
    public async Task AScriptCreatesATokenWithEmailAndPasswordAndSearchesWithIt()
    {
        using var http = new HttpClient { BaseAddress = fhir.BaseAddress };
        HttpRequestMessage Create(string password) => new(HttpMethod.Post, "/account/api-tokens")
        {
            Headers = { Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{SignIn.PatientEmail}:{password}"))) },
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "curl", ["scope"] = "patient", ["expires_in_days"] = "7" }),
        };

        using var wrong = await http.SendAsync(Create("not-the-password"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        using var created = await http.SendAsync(Create(SignIn.PatientPassword));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("patient/*.read", body.GetProperty("scopes")[0].GetString());

        using var client = fhir.Client(body.GetProperty("token").GetString());
        var (status, bundle) = await FhirPortal.GetAsync(client, "Observation?code=8867-4&_count=2");
        Assert.Equal(200, status);
        Assert.Equal(2, ((Bundle)bundle).Entry.Count);
    }
}
