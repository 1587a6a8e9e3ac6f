namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>Waiting on state, never on time: polls a condition until it holds, or fails after a generous limit.</summary>
static class Wait
{
    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Still waiting for {what}.");
            await Task.Delay(20);
        }
    }
}
