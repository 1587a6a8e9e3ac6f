namespace MediConnect.Portal.Features.Shared.Messages;

/// <summary>
/// One folder of the messages page (inbox or sent) as far as the user has paged: the newest page
/// first, then each older page appended. A reload fetches again as many as are shown (at least a
/// page), so a live update neither drops what the user paged to nor leaves a gap.
/// </summary>
/// <remarks>Used from one component, on its renderer's synchronization context.</remarks>
public sealed class MessageFolder(Func<MessageCursor?, int, Task<MessagePage>> load)
{
    MessageCursor? _next;
    int _version;

    public IReadOnlyList<MessageItem> Items { get; private set; } = [];
    public bool HasOlder => _next is not null;

    public async Task ReloadAsync()
    {
        var version = ++_version;
        var page = await load(null, Math.Max(MessageService.PageSize, Items.Count));
        if (version != _version)
            return; // a newer reload or page has landed meanwhile
        (Items, _next) = (page.Messages, page.Next);
    }

    public async Task LoadOlderAsync()
    {
        if (_next is not { } after)
            return;
        var version = ++_version;
        var page = await load(after, MessageService.PageSize);
        if (version != _version)
            return;
        (Items, _next) = ([.. Items, .. page.Messages], page.Next);
    }
}
