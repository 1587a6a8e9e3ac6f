using Bunit;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace MediConnect.Portal.Tests.Features.Appointments;

/// <summary>bUnit with MudBlazor and the real doctor services over the class's test database.</summary>
public abstract class DoctorComponentTest : PortalComponentTest
{
    protected DoctorComponentTest(TestDatabase database)
    {
        Database = database;
        AddPortalServices(database);
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<ICurrentUser>(User);
        // Render as in the live circuit, not as while prerendering (after the registrations: it builds the renderer).
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    protected TestDatabase Database { get; }

    /// <summary>Who the components see as signed in (nobody until a test calls SignInAsync).</summary>
    protected TestCurrentUser User { get; } = new(null);

    protected async Task SignInAsync(string email) => User.User = (await Database.SignedInAsync(email)).User;
}
