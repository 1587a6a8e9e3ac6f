using MediConnect.Portal.Security;

namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>A chosen signed-in user (or nobody) for service tests; the database behind the services stays real.</summary>
public sealed class TestCurrentUser(PortalUser? user) : ICurrentUser
{
    public PortalUser? User { get; set; } = user;

    public Task<PortalUser?> GetAsync() => Task.FromResult(User);
}
