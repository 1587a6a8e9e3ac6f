namespace MediConnect.Portal.Features.Shared.Lists;

/// <summary>
/// Tells a new URL from a re-render: a component's <c>OnParametersSet</c> runs for both, and only a
/// new URL (Back/Forward, a link, the page's own navigation arriving) should reset the view to it.
/// A re-render while the page's own navigation is on its way must not put the view back.
/// </summary>
public sealed class QueryWatch
{
    string? _seen;

    /// <summary>True the first time and whenever <paramref name="values"/> (the component's query parameters) differ from the last call.</summary>
    public bool Changed(params IEnumerable<string?> values)
    {
        var key = "?" + string.Join('\u001f', values);
        if (key == _seen)
            return false;
        _seen = key;
        return true;
    }
}
