using Microsoft.Playwright;

namespace MediConnect.Portal.Tests.Fixtures;

public static class Interactivity
{
    /// <summary>
    /// Waits until the page's Blazor circuit is connected: clicks made before then are lost.
    /// The layout marks the body once its first interactive render is done.
    /// </summary>
    public static async Task WaitForCircuitAsync(this IPage page)
    {
        await page.WaitForFunctionAsync(CircuitReady);
    }

    /// <summary>True once the layout marked the body after its first interactive render.</summary>
    public const string CircuitReady = "() => document.body.hasAttribute('data-circuit-ready')";
}
