using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using MediConnect.Portal.Features.Account.ConnectedApps;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using Task = System.Threading.Tasks.Task;

namespace MediConnect.Portal.Tests.Features.Fhir;

/// <summary>
/// A class's own database and the real portal over it on Kestrel (a real port, as another clinic's
/// software would reach it), with personal access tokens made by the real token service.
/// </summary>
public sealed class FhirPortal : IAsyncLifetime
{
    public TestDatabase Database { get; } = new();
    public PortalFactory Portal { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The FHIR base, e.g. http://127.0.0.1:PORT/fhir/r4.</summary>
    public Uri FhirBase => new(BaseAddress, "fhir/r4/");

    public static readonly JsonSerializerOptions Json = new JsonSerializerOptions().ForFhir();

    public async ValueTask InitializeAsync()
    {
        await Database.InitializeAsync();
        Portal = new PortalFactory(Database.ConnectionString);
        BaseAddress = Portal.StartOnKestrel();
    }

    /// <summary>A new token of <paramref name="email"/>'s, created through the Connected apps service.</summary>
    public async Task<string> TokenAsync(string email, ScopeContext context = ScopeContext.User, string[]? resourceTypes = null, int days = 30)
    {
        var user = await Database.SignedInAsync(email);
        var service = new AccessTokenService(Database.DataSource, user, new AuditLog(user), TimeProvider.System);
        return (await service.CreateAsync(new AccessTokenRequest("Test app", context, resourceTypes ?? [], days))).Token;
    }

    readonly ConcurrentDictionary<string, Lazy<Task<string>>> _userTokens = new();

    /// <summary>One token of <paramref name="email"/>'s per scope context for the whole class (a user may hold only so many live tokens).</summary>
    public Task<string> SharedTokenAsync(string email, ScopeContext context = ScopeContext.User) =>
        _userTokens.GetOrAdd($"{email}|{context}", _ => new Lazy<Task<string>>(() => TokenAsync(email, context))).Value;

    /// <summary>An HTTP client for the API, with <paramref name="token"/> as its bearer token (none when null).</summary>
    public HttpClient Client(string? token)
    {
        var client = new HttpClient { BaseAddress = FhirBase };
        if (token is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>GETs <paramref name="path"/> (relative to the FHIR base) and parses the FHIR resource answered.</summary>
    public static async Task<(int Status, Resource Resource)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/fhir+json",
            $"GET {path} answered {(int)response.StatusCode} with {response.Content.Headers.ContentType}: {body}");
        return ((int)response.StatusCode, JsonSerializer.Deserialize<Resource>(body, Json)!);
    }

    public async ValueTask DisposeAsync()
    {
        await Portal.DisposeAsync();
        await Database.DisposeAsync();
    }
}
