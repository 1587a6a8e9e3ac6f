using MediConnect.Portal.Features.Shared.Lists;

namespace MediConnect.Portal.Tests.Features.Shared.Lists;

public sealed class LatestLoadTests
{
    readonly LatestLoad<string> _load = new();
    readonly TaskCompletionSource<string> _older = new();
    readonly TaskCompletionSource<string> _newer = new();

    [Fact]
    public async Task AnOlderLoadFinishingLastStillShowsTheNewerResult()
    {
        var older = _load.RunAsync(() => _older.Task);
        var newer = _load.RunAsync(() => _newer.Task);

        _newer.SetResult("filtered");
        Assert.Equal("filtered", await newer);
        _older.SetResult("unfiltered");

        Assert.Equal("filtered", await older);
    }

    [Fact]
    public async Task AnOlderLoadFinishingFirstWaitsForTheNewerOne()
    {
        var older = _load.RunAsync(() => _older.Task);
        var newer = _load.RunAsync(() => _newer.Task);

        _older.SetResult("unfiltered");
        Assert.False(older.IsCompleted);
        _newer.SetResult("filtered");

        Assert.Equal("filtered", await older);
        Assert.Equal("filtered", await newer);
    }

    [Fact]
    public async Task ACancelledOlderLoadIsNotAnError()
    {
        var older = _load.RunAsync(() => _older.Task);
        var newer = _load.RunAsync(() => _newer.Task);

        _older.SetCanceled();
        _newer.SetResult("filtered");

        Assert.Equal("filtered", await older);
        Assert.Equal("filtered", await newer);
    }

    [Fact]
    public async Task TheNewestLoadsFailureReachesTheCaller()
    {
        var only = _load.RunAsync(() => _newer.Task);

        _newer.SetException(new InvalidOperationException("database down"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => only);
        Assert.Equal("database down", error.Message);
    }
}
