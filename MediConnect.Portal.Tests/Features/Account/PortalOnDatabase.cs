using MediConnect.Portal.Tests.Fixtures;

namespace MediConnect.Portal.Tests.Features.Account;

/// <summary>
/// A class's own migrated database and one portal host over it, shared by the class's tests.
/// The host's sign-in rate limit is raised: the in-memory test server has no client address, so
/// every test of the class counts as one client (the limit itself is tested on its own).
/// </summary>
public sealed class PortalOnDatabase : IAsyncLifetime
{
    public static readonly IReadOnlyDictionary<string, string?> Settings = new Dictionary<string, string?>
    {
        ["LOGIN_RATE_LIMIT_PER_MINUTE"] = "1000",
    };

    public TestDatabase Database { get; } = new();

    public PortalFactory Portal { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await Database.InitializeAsync();
        Portal = new PortalFactory(Database.ConnectionString, Settings);
    }

    public async ValueTask DisposeAsync()
    {
        await Portal.DisposeAsync();
        await Database.DisposeAsync();
    }
}
