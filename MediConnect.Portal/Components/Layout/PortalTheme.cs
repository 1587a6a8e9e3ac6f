using MudBlazor;

namespace MediConnect.Portal.Components.Layout;

/// <summary>
/// The portal's one theme: calm clinical blue and teal. Every colour that carries text (filled chips
/// and buttons with white text, outlined chips, text alerts and links on white or on the page
/// background #f5f7fa) has a contrast of at least 4.5:1 (WCAG 2.1 AA), and each appointment status
/// has a hue of its own (Scheduled purple, Confirmed blue, In progress orange, Completed green).
/// </summary>
public static class PortalTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1565c0",      // 5.8:1 on white
            Secondary = "#00695c",    // 6.6:1
            Tertiary = "#6a1b9a",     // 9.4:1
            Info = "#01579b",         // 7.4:1
            Success = "#2e7d32",      // 5.1:1
            Warning = "#a84300",      // 6.1:1
            Error = "#c62828",        // 5.6:1
            AppbarBackground = "#1565c0",
            Background = "#f5f7fa",
            TextSecondary = "rgba(0,0,0,0.68)",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "6px" },
    };
}
