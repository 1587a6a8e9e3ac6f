using AngleSharp.Dom;
using Microsoft.AspNetCore.Components;

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
}
