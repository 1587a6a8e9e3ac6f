using System.Net;
using System.Net.Sockets;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Patient.Vitals;
using MediConnect.Portal.Tests.Fixtures;
using Npgsql;

namespace MediConnect.Portal.Tests.Components.Errors;

/// <summary>
/// Every way the database can be unavailable, each produced for real against PostgreSQL, gives a
/// patient saving a reading the same calm "Not saved … still here" as a plain outage, and stores
/// nothing. (The form shows <see cref="DatabaseOutage.FormMessage"/> and keeps what was typed.)
/// </summary>
public sealed class OutageShapeTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    public const string NotSaved = "Not saved: the portal cannot reach its database right now. What you entered is still here; try again in a moment.";

    /// <summary>Saves a reading through <paramref name="connectionString"/> (after <paramref name="prepare"/>) and returns what the form would say.</summary>
    async Task<string?> SaveAsync(string connectionString, Func<NpgsqlDataSource, Task>? prepare = null)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        if (prepare is not null)
            await prepare(dataSource);
        var patient = await database.SignedInAsync(Demo.Emily);
        var recorder = new VitalSignsRecorder(dataSource, patient, Demo.Audit(patient), Demo.CareTeam(database), TimeProvider.System);
        var readings = await ReadingCountAsync();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => recorder.RecordAsync(new VitalReadingInput(HeartRate: 71, Notes: "outage shape")));

        Assert.Equal(readings, await ReadingCountAsync());
        return DatabaseOutage.FormMessage(error);
    }

    Task<long> ReadingCountAsync() => database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM vital_signs");

    string With(string options) => $"{database.ConnectionString};{options}";

    /// <summary>
    /// <paramref name="connectionString"/> as a multi-host string (the same server named twice, as Npgsql
    /// accepts Target Session Attributes only with several hosts), with <paramref name="options"/>.
    /// </summary>
    public static string TwoHosts(string connectionString, string options)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.Host = $"{builder.Host}:{builder.Port},{builder.Host}:{builder.Port}";
        return $"{builder.ConnectionString};{options}";
    }

    static async Task WarmAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
    }

    [Fact]
    public async Task AStoppedServerRefusingConnections()
    {
        var nothingListens = new TcpListener(IPAddress.Loopback, 0);
        nothingListens.Start();
        var port = ((IPEndPoint)nothingListens.LocalEndpoint).Port;
        nothingListens.Stop();

        Assert.Equal(NotSaved, await SaveAsync(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Port = port }.ConnectionString));
    }

    [Fact]
    public async Task AConnectionResetUnderAPooledConnection()
    {
        await using var link = new DatabaseLink(database.ConnectionString);

        Assert.Equal(NotSaved, await SaveAsync(link.ConnectionString, async dataSource =>
        {
            await WarmAsync(dataSource);
            link.Cut();
        }));
    }

    [Fact]
    public async Task AHostThatAcceptsButNeverAnswers()
    {
        await using var silent = new SilentHost();

        Assert.Equal(NotSaved, await SaveAsync($"Host=127.0.0.1;Port={silent.Port};Database=x;Username=u;Password=p;Timeout=1"));
    }

    [Fact]
    public async Task NoSuitableHostWhenNoHostIsAWritablePrimary()
    {
        // Hosts that are up but read-only, as a demoted primary or a standby is: Npgsql skips them for "read-write"
        // and, with no other host, answers "No suitable host was found.".
        Assert.Equal(NotSaved, await SaveAsync(TwoHosts(database.ConnectionString, "Target Session Attributes=read-write;Options=-c default_transaction_read_only=on")));
    }

    [Fact]
    public async Task AReadOnlyTransactionOnADemotedPrimary()
    {
        Assert.Equal(NotSaved, await SaveAsync(With("Options=-c default_transaction_read_only=on")));
    }

    [Fact]
    public async Task AnAdministratorShutdownOfThePortalsSession()
    {
        var name = $"outage-57P01-{Guid.NewGuid():N}"[..30];

        Assert.Equal(NotSaved, await SaveAsync(With($"Application Name={name}"), async dataSource =>
        {
            await WarmAsync(dataSource);
            await database.DataSource.ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = @name", new { name });
            await ReplicatedPostgres.WaitAsync(async () =>
                await database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE application_name = @name", new { name }) == 0,
                "the terminated session to end");
        }));
    }
}

/// <summary>A host that accepts TCP connections and never answers (a hung server, a black-holing proxy).</summary>
public sealed class SilentHost : IAsyncDisposable
{
    readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    readonly List<Socket> _accepted = [];
    readonly Task _accepting;

    public SilentHost()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync();
                lock (_accepted) _accepted.Add(socket);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _accepting;
        lock (_accepted)
            foreach (var socket in _accepted)
                socket.Dispose();
    }
}
