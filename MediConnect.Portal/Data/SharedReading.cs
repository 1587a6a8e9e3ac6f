namespace MediConnect.Portal.Data;

/// <summary>
/// A figure read at most once per interval by this portal instance and shared by every caller in
/// between, a reading still under way included: what every open admin page shows (sizes, counts over
/// the whole clinic) costs one query per interval, not one per page per refresh. A reading runs to
/// its end even when the caller that started it gives up. Callers check access before asking.
/// </summary>
public sealed class SharedReading<T>(TimeSpan interval, TimeProvider clock, Func<Task<T>> read)
{
    readonly Lock _gate = new();
    (Task<T> Value, DateTimeOffset At)? _last;

    public Task<T> GetAsync(CancellationToken ct = default)
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (_last is not { } last || now - last.At >= interval)
                _last = last = (read(), now);
            return last.Value.WaitAsync(ct);
        }
    }
}
