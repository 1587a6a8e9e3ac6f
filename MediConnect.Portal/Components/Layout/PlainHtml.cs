using Microsoft.AspNetCore.Components;

namespace MediConnect.Portal.Components.Layout;

/// <summary>
/// MudBlazor's look without its components, for the server render of the layout
/// (<see cref="ServerRenderedLayout"/>): the classes and SVG its icon and icon button write.
/// </summary>
public static class PlainHtml
{
    /// <summary>The classes of an inherit-coloured <c>MudIconButton</c> (a button or a link).</summary>
    public const string IconButton = "mud-button-root mud-icon-button mud-inherit-text hover:mud-inherit-hover mud-ripple mud-ripple-icon";

    /// <summary>A medium <c>MudIcon</c>: <paramref name="icon"/> is one of MudBlazor's <c>Icons</c> (trusted SVG content).</summary>
    public static MarkupString Icon(string icon, string? classes = null) =>
        new($"<svg class=\"mud-icon-root mud-svg-icon mud-icon-size-medium{(classes is null ? "" : " " + classes)}\" focusable=\"false\" viewBox=\"0 0 24 24\" aria-hidden=\"true\" role=\"img\">{icon}</svg>");
}
