using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace MediConnect.Portal.Components.Layout;

/// <summary>
/// Sends a page whose session has ended to the login page (a full load, so it renders statically),
/// saying why and where to come back to.
/// </summary>
public sealed class SessionExit(NavigationManager navigation, IJSRuntime js)
{
    public void Leave(string reason) => navigation.NavigateTo(LoginUrl(reason), forceLoad: true);

    /// <summary>
    /// Leaves unless the page is already leaving by itself: a live event can end the session of the
    /// very page whose "Sign out" form is on its way, and that navigation must win
    /// (<c>js/session-activity.js</c> knows the page is unloading). True when the page leaves.
    /// </summary>
    public async Task<bool> LeaveUnlessLeavingAsync(string reason)
    {
        try
        {
            return await js.InvokeAsync<bool>("mediconnectLeave", LoginUrl(reason));
        }
        catch (JSException)
        {
            Leave(reason);
            return true;
        }
    }

    string LoginUrl(string reason) =>
        $"account/login?reason={reason}&returnUrl={Uri.EscapeDataString("/" + navigation.ToBaseRelativePath(navigation.Uri))}";
}
