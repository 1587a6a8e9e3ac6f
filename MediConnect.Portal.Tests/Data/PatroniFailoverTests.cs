using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Live;
using MediConnect.Portal.Tests.Features.Account;
using MediConnect.Portal.Tests.Fixtures;
using Npgsql;

namespace MediConnect.Portal.Tests.Data;

/// <summary>
/// The portal on a Patroni cluster (<see cref="PatroniPortal"/>: real etcd, two Patroni-managed
/// PostgreSQL 15 nodes with synchronous replication, two portal instances on a multi-host
/// connection string) losing its primary while HTTP clients sign in, each sign-in a write (a
/// session row, an audit row). For each way of losing it: every sign-in the client saw succeed
/// is on the new primary, no answer is a 500, sign-ins succeed again by themselves, and each
/// instance's live-updates listener is back on the new primary. The seconds until sign-ins
/// resume are written to the test output, never asserted.
/// </summary>
public sealed class PatroniFailoverTests(PatroniPortal clinic, ITestOutputHelper output) : IClassFixture<PatroniPortal>
{
    [Fact]
    public async Task KillingThePrimarysPostmasterLosesNoAcknowledgedSignInAndThePortalFollowsTheNewLeader() =>
        await SurvivesAsync("kill -9 of the primary's postmaster", async () => (await clinic.Cluster.KillLeaderPostmasterAsync(), false));

    [Fact]
    public async Task StoppingThePrimarysPatroniLosesNoAcknowledgedSignInAndThePortalFollowsTheNewLeader() =>
        await SurvivesAsync("stopping the primary's Patroni", async () => (await clinic.Cluster.StopLeaderPatroniAsync(), true));

    /// <summary>The runbook's switchover (docs/operations/high-availability.md), its commands as written there.</summary>
    [Fact]
    public async Task APlannedSwitchoverFollowingTheRunbookLosesNoAcknowledgedSignIn() =>
        await SurvivesAsync("patronictl switchover", async () =>
        {
            var leader = await clinic.Cluster.LeaderAsync();
            var candidate = clinic.Cluster.Nodes.First(n => n != leader);
            await clinic.Cluster.PatronictlAsync("switchover", "--leader", leader.Name, "--candidate", candidate.Name, "--force");
            return (leader, false);
        });

    async Task SurvivesAsync(string disruption, Func<Task<(PatroniNode OldLeader, bool Restart)>> disrupt)
    {
        var healthy = await clinic.Cluster.WaitUntilHealthyAsync();
        var clock = Stopwatch.StartNew();
        await using var load = new SignInLoad([.. clinic.Instances.Select(i => i.Address)], clock);
        await load.WaitForAcknowledgedAsync(3, "sign-ins before the disruption");

        var disruptedAt = clock.Elapsed;
        var (oldLeader, restart) = await disrupt();
        try
        {
            var view = await clinic.Cluster.WaitAsync(s => s.Leader is { } l && l.Name != oldLeader.Name && l.Timeline > healthy.Leader!.Timeline, "another node to lead, on a new timeline");
            var newLeader = clinic.Cluster.Node(view.Leader!.Name);
            var promotedAt = clock.Elapsed;
            await load.WaitForAcknowledgedAsync(load.Acknowledged.Count + 3, "sign-ins after the new leader took over");
            await load.StopAsync();

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{disruption}: new leader {newLeader.Name} {(promotedAt - disruptedAt).TotalSeconds:F1} s after the disruption began; "
                + $"longest time without a successful sign-in {load.LongestGap().TotalSeconds:F1} s; "
                + $"{load.Acknowledged.Count} acknowledged, answers: {string.Join(", ", load.Statuses.GroupBy(s => s).Select(g => $"{(int)g.Key}×{g.Count()}"))}"));

            Assert.DoesNotContain(HttpStatusCode.InternalServerError, load.Statuses);
            await using var primary = NpgsqlDataSource.Create(clinic.Cluster.NodeConnectionString(newLeader));
            var stored = (await primary.QueryListAsync<string>("SELECT user_agent FROM sessions WHERE user_agent LIKE 'failover-load/%'")).ToHashSet();
            var lost = load.Acknowledged.Where(marker => !stored.Contains(marker)).ToList();
            Assert.True(lost.Count == 0, $"Acknowledged sign-ins missing on the new primary: {string.Join(", ", lost)}");

            // Live updates: every instance's LISTEN is back, on the new primary.
            await ReplicatedPostgres.WaitAsync(async () => await ReplicatedPostgres.ScalarAsync<long>(clinic.Cluster.NodeConnectionString(newLeader),
                    $"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{LiveEventListener.ApplicationName}'") == clinic.Instances.Count,
                "each instance's live-updates listener on the new primary");

            // Admins are told once, whichever instance saw it: an audit row and a notice in each admin's bell; /health names the new leader.
            const string Recorded = """
                SELECT coalesce(max((new_values->>'timeline')::int), 0) FROM audit_log
                WHERE action = 'database_failover' AND entity_id = @leader AND (new_values->>'timeline')::int > @before
                """;
            var timeline = 0;
            await ReplicatedPostgres.WaitAsync(async () => (timeline = await primary.QueryOneAsync<int>(Recorded, new { leader = newLeader.Name, before = healthy.Leader!.Timeline })) > 0,
                "the failover's audit row");
            Assert.Equal(await primary.QueryOneAsync<long>("SELECT count(*) FROM users WHERE role = 'admin' AND is_active"),
                await primary.QueryOneAsync<long>("SELECT count(*) FROM notifications WHERE title = 'Database failover' AND data->>'timeline' = @timeline",
                    new { timeline = timeline.ToString(CultureInfo.InvariantCulture) }));
            Assert.Equal(newLeader.Name, await HealthLeaderAsync(clinic.Instances[0]));
        }
        finally
        {
            if (restart)
                oldLeader.Start();
            await clinic.Cluster.WaitUntilHealthyAsync(); // the old leader rejoins as the sync standby, for the next test
        }
    }

    /// <summary>The leader <c>/health</c>'s details name (from Patroni's REST API, <c>PATRONI_REST_URLS</c>).</summary>
    static async Task<string?> HealthLeaderAsync(PortalProcess instance)
    {
        using var client = new HttpClient { BaseAddress = instance.Address };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", PatroniPortal.HealthDetailsToken);
        using var health = JsonDocument.Parse(await client.GetStringAsync("/health"));
        return health.RootElement.GetProperty("cluster").GetProperty("members").EnumerateArray()
            .Where(m => m.GetProperty("role").GetString() == "leader").Select(m => m.GetProperty("name").GetString()).SingleOrDefault();
    }

    /// <summary>
    /// Clients signing in as the demo patient, round-robin over the instances, each attempt from a
    /// loopback address of its own (the sign-in rate limit counts per address) and with a
    /// <c>User-Agent</c> that names it, which the session row keeps.
    /// </summary>
    sealed class SignInLoad : IAsyncDisposable
    {
        readonly CancellationTokenSource _stop = new();
        readonly Task[] _workers;
        readonly Uri[] _instances;
        readonly Stopwatch _clock;
        int _attempt;

        public SignInLoad(Uri[] instances, Stopwatch clock, int workers = 3)
        {
            _instances = instances;
            _clock = clock;
            _workers = [.. Enumerable.Range(0, workers).Select(_ => Task.Run(WorkAsync))];
        }

        public ConcurrentBag<string> Acknowledged { get; } = [];
        /// <summary>When each acknowledged attempt started and when its answer came.</summary>
        public ConcurrentQueue<(TimeSpan Started, TimeSpan Answered)> AcknowledgedAt { get; } = [];
        public ConcurrentQueue<HttpStatusCode> Statuses { get; } = [];

        async Task WorkAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                var attempt = Interlocked.Increment(ref _attempt);
                var marker = $"failover-load/{attempt}";
                using var client = LoopbackHttp.Client($"127.{20 + attempt / 62500}.{attempt / 250 % 250}.{attempt % 250 + 1}", _instances[attempt % _instances.Length]);
                client.Timeout = TimeSpan.FromSeconds(30);
                client.DefaultRequestHeaders.UserAgent.ParseAdd(marker);
                try
                {
                    var started = _clock.Elapsed;
                    using var page = await client.GetAsync("/account/login", _stop.Token);
                    Statuses.Enqueue(page.StatusCode);
                    if (page.StatusCode != HttpStatusCode.OK)
                        continue;
                    var fields = AccountHttp.HiddenFields(await page.Content.ReadAsStringAsync(_stop.Token));
                    fields["Input.Email"] = SignIn.PatientEmail;
                    fields["Input.Password"] = SignIn.PatientPassword;
                    using var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(fields), _stop.Token);
                    Statuses.Enqueue(response.StatusCode);
                    if (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.ToString().Contains("/account/", StringComparison.Ordinal) == false)
                    {
                        Acknowledged.Add(marker);
                        AcknowledgedAt.Enqueue((started, _clock.Elapsed));
                    }
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    Statuses.Enqueue((HttpStatusCode)0); // no answer at all: counted, and no acknowledged write
                }
            }
        }

        /// <summary>The longest time between two successful sign-ins' answers: the outage as the clients saw it.</summary>
        public TimeSpan LongestGap()
        {
            var answered = AcknowledgedAt.Select(t => t.Answered).Order().ToArray();
            return answered.Zip(answered.Skip(1), (a, b) => b - a).DefaultIfEmpty(TimeSpan.Zero).Max();
        }

        public Task WaitForAcknowledgedAsync(int count, string what) =>
            Wait.UntilAsync(() => Acknowledged.Count >= count || _workers.Any(w => w.IsFaulted), what, TimeSpan.FromSeconds(120))
                .ContinueWith(t =>
                {
                    var fault = _workers.FirstOrDefault(w => w.IsFaulted)?.Exception;
                    if (fault is not null)
                        throw fault;
                    t.GetAwaiter().GetResult();
                });

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_workers);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_stop.IsCancellationRequested)
                await StopAsync();
            _stop.Dispose();
        }
    }
}
