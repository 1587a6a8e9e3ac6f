namespace MediConnect.Portal.Features.Shared.Live;

/// <summary>
/// Which rows of a list just changed through a live update, as a CSS class that flashes them once
/// (<c>app.css</c>). The class alternates between two names, so a row that changes again flashes again.
/// </summary>
public sealed class LiveHighlight
{
    IReadOnlySet<int> _ids = new HashSet<int>();
    int _round;

    public void Mark(IReadOnlySet<int> ids)
    {
        _ids = ids;
        _round++;
    }

    /// <summary>Nothing is highlighted (the user moved on: other filters, another week).</summary>
    public void Clear() => _ids = new HashSet<int>();

    /// <summary>"live-changed-0" or "live-changed-1" for a row that just changed, else empty.</summary>
    public string ClassFor(int id) => _ids.Contains(id) ? $"live-changed live-changed-{_round % 2}" : "";
}
