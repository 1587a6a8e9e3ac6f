namespace MediConnect.Portal.Features.Shared.Lists;

/// <summary>
/// Keeps a list showing the answer to the newest load. A list loads again whenever its input
/// changes (a filter, a search, a day, a period), and an earlier, slower query can finish after a
/// later one; MudTable cancels the earlier token but still shows whatever each call returns.
/// Through this, every call returns the newest load's result, so what is on screen always matches
/// the input on screen. Every list that reloads on input loads through one.
/// </summary>
/// <remarks>Used from one component, on its renderer's synchronization context.</remarks>
public sealed class LatestLoad<T>
{
    Task<T>? _latest;

    /// <summary>Starts <paramref name="load"/> as the newest load and returns the newest load's result.</summary>
    public async Task<T> RunAsync(Func<Task<T>> load)
    {
        var task = _latest = load();
        while (true)
        {
            try
            {
                var result = await task;
                if (task == _latest)
                    return result;
            }
            catch when (task != _latest)
            {
                // Superseded: its failure (usually the cancellation) no longer concerns the page.
            }
            task = _latest!;
        }
    }
}
