using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using MediConnect.Portal.Data;

namespace MediConnect.Portal.Features.Admin.Cluster;

/// <summary>One member of the Patroni cluster, as its REST API <c>/cluster</c> reports it. <c>Lag</c> in bytes of WAL; null for the leader or when unknown.</summary>
public sealed record ClusterMember(string Name, string Role, string State, int? Timeline, long? LagBytes)
{
    public bool IsLeader => Role == "leader";
    public bool IsSync => Role == "sync_standby";
}

/// <summary>The cluster at one moment: its members, the leader's timeline, and which REST URL answered; or why none did.</summary>
public sealed record ClusterStatus(IReadOnlyList<ClusterMember> Members, string? AnsweredBy, string? Error)
{
    public ClusterMember? Leader => Members.FirstOrDefault(m => m.IsLeader);
}

/// <summary>
/// The Patroni REST API of the database cluster (<c>PATRONI_REST_URLS</c>, comma-separated, one per
/// node): asked in turn until one answers <c>/cluster</c>. Not configured: <see cref="Configured"/> is
/// false and nothing is asked.
/// </summary>
public sealed class DatabaseCluster(IReadOnlyList<Uri> restUrls, HttpClient http, ILogger<DatabaseCluster> logger)
{
    public const string Setting = "PATRONI_REST_URLS";

    public bool Configured => restUrls.Count > 0;

    /// <exception cref="PortalConfigurationException">An entry is not an http(s) URL.</exception>
    public static IReadOnlyList<Uri> ReadUrls(IConfiguration config)
    {
        var raw = config[Setting];
        if (string.IsNullOrWhiteSpace(raw))
            return [];
        var urls = new List<Uri>();
        foreach (var entry in raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(entry, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                throw new PortalConfigurationException(
                    $"{Setting} must list Patroni REST API addresses separated by commas (http://db1:8008,http://db2:8008), but '{entry}' is not an http(s) address.");
            urls.Add(url);
        }
        return urls;
    }

    public async Task<ClusterStatus> ReadAsync(CancellationToken ct)
    {
        string? error = null;
        foreach (var url in restUrls)
        {
            try
            {
                using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
                bounded.CancelAfter(TimeSpan.FromSeconds(1));
                var view = await http.GetFromJsonAsync<RestView>(new Uri(url, "/cluster"), bounded.Token);
                if (view?.Members is { } members)
                    return new ClusterStatus([.. members.Select(m => m.ToMember())], url.GetLeftPart(UriPartial.Authority), null);
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                error = $"{url.GetLeftPart(UriPartial.Authority)}: {(e is OperationCanceledException ? "no answer within 1 s" : e.Message)}";
                logger.LogDebug("Patroni REST API {Url} did not answer: {Error}", url.GetLeftPart(UriPartial.Authority), e.Message);
            }
        }
        return new ClusterStatus([], null, error ?? "no Patroni REST API configured");
    }

    sealed record RestView([property: JsonPropertyName("members")] IReadOnlyList<RestMember>? Members);

    sealed record RestMember(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("role")] string Role,
        [property: JsonPropertyName("state")] string State,
        [property: JsonPropertyName("timeline")] int? Timeline,
        [property: JsonPropertyName("lag")] JsonElement Lag)
    {
        public ClusterMember ToMember() => new(Name, Role, State, Timeline, Lag.ValueKind == JsonValueKind.Number ? Lag.GetInt64() : null);
    }
}
