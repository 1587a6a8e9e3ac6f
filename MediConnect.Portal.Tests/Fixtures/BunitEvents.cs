using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>
/// Async forms of bUnit's input events taking the typed text. The suite never blocks a thread on
/// bUnit (no synchronous Click, Input, Change or WaitFor): on two busy cores a blocked pool thread
/// starves the very database continuation the test waits for.
/// </summary>
static class BunitEvents
{
    public static Task InputAsync(this IElement element, string value) => Bunit.EventHandlerDispatchExtensions.InputAsync(element, new ChangeEventArgs { Value = value });

    public static Task ChangeAsync(this IElement element, string value) => Bunit.EventHandlerDispatchExtensions.ChangeAsync(element, new ChangeEventArgs { Value = value });

    /// <summary>
    /// What a debounced search field (a <see cref="MudTextField{T}"/> with that label) does when typing
    /// pauses: it reports the text. The task ends when the page has handled it, its load included.
    /// Typing with <see cref="InputAsync"/> instead leaves the report to MudBlazor's timer, whose work
    /// bUnit's dispatcher holds back until a WaitFor runs, so the load would race the wait's timeout.
    /// </summary>
    public static Task TypeAsync(this IRenderedComponent<IComponent> cut, string label, string text)
    {
        var field = cut.FindComponents<MudTextField<string>>().Single(f => f.Instance.Label == label).Instance;
        return cut.InvokeAsync(() => field.ValueChanged.InvokeAsync(text));
    }
}
