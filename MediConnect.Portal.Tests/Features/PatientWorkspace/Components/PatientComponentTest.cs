using Bunit;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace MediConnect.Portal.Tests.Features.PatientWorkspace.Components;

/// <summary>
/// bUnit with MudBlazor and the real patient-workspace services over the class's own database.
/// Call <see cref="SignInAsync"/> (and register any other fakes) before the first render.
/// </summary>
public abstract class PatientComponentTest : PortalComponentTest
{
    protected PatientComponentTest(TestDatabase database)
    {
        Database = database;
        AddPortalServices(database);
    }

    protected TestDatabase Database { get; }

    protected async Task<TestCurrentUser> SignInAsync(string email, TimeProvider? time = null)
    {
        var user = await Database.SignedInAsync(email);
        Services.AddSingleton<ICurrentUser>(user);
        Services.AddSingleton(time ?? TimeProvider.System);
        return user;
    }
}
