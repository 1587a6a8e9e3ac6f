namespace MediConnect.Portal.Features.Shared.Notifications;

/// <summary>
/// Tells the badges in the nav and the app bar (one circuit) that a message or notification was
/// read or sent, so they reload their counts.
/// </summary>
public sealed class UnreadCounts
{
    public event Action? OnChanged;

    public void Changed() => OnChanged?.Invoke();
}
