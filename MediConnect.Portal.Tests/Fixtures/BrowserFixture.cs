using Microsoft.Playwright;

namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>
/// Debian's Chromium (/usr/bin/chromium, or CHROMIUM_PATH) driven by Playwright, headless.
/// Playwright never downloads a browser here.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    IPlaywright? _playwright;

    /// <summary>
    /// How long an action or an expectation waits for the page to reach the state it asks for. Playwright's
    /// own 5 s for expectations is shorter than a list load takes on two loaded cores.
    /// </summary>
    const float StateTimeoutMs = 15_000;

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var executable = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";
        if (!File.Exists(executable))
            throw new InvalidOperationException($"Chromium is not installed at {executable}: run ./test.sh (it installs it) or apt-get install chromium.");

        Assertions.SetDefaultExpectTimeout(StateTimeoutMs);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        });
    }

    /// <summary>
    /// A fresh browser context (own cookies) with a page open on <paramref name="baseAddress"/>.
    /// <paramref name="ignoreHttpsErrors"/>: accept the self-signed certificate a test proxy made.
    /// </summary>
    public async Task<IPage> NewPageAsync(Uri baseAddress, bool ignoreHttpsErrors = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString(), IgnoreHTTPSErrors = ignoreHttpsErrors });
        context.SetDefaultTimeout(StateTimeoutMs);
        return await context.NewPageAsync();
    }

    /// <summary>The phone every phone-size journey uses: 390×844 CSS pixels, touch, the meta viewport honoured.</summary>
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    /// <summary>A fresh browser context sized and behaving like a phone, with a page open on <paramref name="baseAddress"/>.</summary>
    public async Task<IPage> NewPhonePageAsync(Uri baseAddress)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = Phone,
            DeviceScaleFactor = 3,
            IsMobile = true,
            HasTouch = true,
        });
        context.SetDefaultTimeout(StateTimeoutMs);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
