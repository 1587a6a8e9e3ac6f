using Microsoft.AspNetCore.Components;

namespace MediConnect.Portal.Features.Shared.Lists;

/// <summary>
/// One page's view in the URL. <c>OnParametersSet</c> runs on a re-render, on a new URL
/// (Back/Forward, a link) and when the page's own navigation arrives, which in the live circuit
/// comes back from the browser a moment later, perhaps after the user changed the view again.
/// <see cref="Changed"/> is true only for a URL the page did not make, so neither a re-render nor
/// an echo ever puts the view back (a search box never loses what was typed since).
/// </summary>
public sealed class QueryWatch
{
    /// <summary>URLs this page navigated to whose arrival is still to come (a few at most).</summary>
    readonly List<string> _own = [];
    string? _seen;

    /// <summary>
    /// True the first time, and when <paramref name="values"/> (the component's query parameters)
    /// differ from the last call and the URL is not one the page itself navigated to.
    /// </summary>
    public bool Changed(NavigationManager navigation, params IEnumerable<string?> values)
    {
        var key = "?" + string.Join('\u001f', values);
        if (key == _seen)
            return false;
        _seen = key;
        var own = _own.IndexOf(Uri.UnescapeDataString(navigation.Uri));
        if (own < 0)
            return true;
        _own.RemoveRange(0, own + 1); // this and any earlier of the page's own navigations have arrived
        return false;
    }

    /// <summary>
    /// Shows <paramref name="uri"/> (the page's URL for its current view). <paramref name="replace"/>
    /// rewrites the current history entry (a search box while typing: no history spam); otherwise one
    /// entry is pushed, so Back returns to the previous view. Nothing happens when the URL is already it.
    /// </summary>
    public void Show(NavigationManager navigation, string uri, bool replace = false)
    {
        if (uri == navigation.Uri)
            return;
        if (_own.Count == 16)
            _own.RemoveAt(0); // a navigation that never arrived (cancelled) must not pile up
        _own.Add(Uri.UnescapeDataString(uri)); // the browser may escape it differently on the way back
        navigation.NavigateTo(uri, replace: replace);
    }

    /// <summary>
    /// Puts <paramref name="values"/> into the current URL's query (null removes a parameter,
    /// others are kept) through <see cref="Show"/>.
    /// </summary>
    public void SetQuery(NavigationManager navigation, IReadOnlyDictionary<string, object?> values, bool replace = false) =>
        Show(navigation, navigation.GetUriWithQueryParameters(values), replace);
}
