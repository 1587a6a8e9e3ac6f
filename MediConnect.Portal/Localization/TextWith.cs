using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;

namespace MediConnect.Portal.Localization;

/// <summary>
/// A translated sentence with markup inside it ("signed out in <b>{0}</b> seconds", "… <a>go home</a>."):
/// the resource keeps the whole sentence with placeholders, so a translation can move them, and each
/// placeholder is rendered from a fragment. Text between the placeholders is encoded as usual.
/// </summary>
public static partial class TextWith
{
    public static RenderFragment Fragments(string format, params RenderFragment[] parts) => builder =>
    {
        var at = 0;
        foreach (Match placeholder in Placeholder().Matches(format))
        {
            builder.AddContent(0, format[at..placeholder.Index]);
            builder.AddContent(1, parts[int.Parse(placeholder.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)]);
            at = placeholder.Index + placeholder.Length;
        }
        builder.AddContent(2, format[at..]);
    };

    [GeneratedRegex(@"\{(\d+)\}")]
    private static partial Regex Placeholder();
}
