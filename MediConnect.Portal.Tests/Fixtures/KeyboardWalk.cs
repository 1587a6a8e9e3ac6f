using Microsoft.Playwright;

namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>Where keyboard focus is: one element (stable across Tabs), whether its focus ring shows, what it is.</summary>
public sealed record Focus(string Key, bool Ring, bool DateField, bool Inside, string What);

/// <summary>
/// Moves through a page with Tab and Shift+Tab only, as a keyboard user does, and fails on a trap:
/// focus that stays on one element after Tab (a date field has its day, month and year: three
/// stops, no more), lands on nothing, or shows no focus ring.
/// </summary>
public static class KeyboardWalk
{
    // Marks each focused element with a number the first time it is seen, so the same element is recognised later.
    const string FocusProbe = """
        scope => {
          const e = document.activeElement;
          if (!e || e === document.body) return { key: 'body', handOff: false, ring: false, dateField: false, inside: false, what: 'nothing (the page body)' };
          if (!e.dataset.kbWalk) e.dataset.kbWalk = String(window.__kbWalk = (window.__kbWalk || 0) + 1);
          const s = getComputedStyle(e);
          const r = e.getBoundingClientRect();
          const ring = e.matches(':focus-visible') && s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1
            && r.width > 0 && r.height > 0 && s.visibility !== 'hidden';
          const label = (e.getAttribute('aria-label') || e.textContent || e.value || '').trim().replace(/\s+/g, ' ').slice(0, 40);
          return {
            key: e.dataset.kbWalk, ring, dateField: e.matches('input[type=date]'),
            inside: !scope || !!e.closest(scope),
            what: e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.type ? '[' + e.type + ']' : '')
              + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).slice(0, 3).join('.') : '') + ' "' + label + '"',
            handOff: e.tagName === 'DIV' && e.tabIndex >= 0 && !label && e.childElementCount === 0,
          };
        }
        """;

    // Playwright fills a class with setters from the script's object.
    sealed class Probe
    {
        public string Key { get; set; } = "";
        public bool Ring { get; set; }
        public bool DateField { get; set; }
        public bool Inside { get; set; }
        public string What { get; set; } = "";
        public bool HandOff { get; set; }
    }

    /// <summary>The focused element; <see cref="Focus.Inside"/> tells whether it is within <paramref name="scope"/> (a CSS selector).</summary>
    public static async Task<Focus> FocusedAsync(this IPage page, string? scope = null)
    {
        var p = await page.EvaluateAsync<Probe>(FocusProbe, scope);
        if (p.HandOff)
        {
            // An empty focusable div is a dialog's focus-trap edge, which hands focus on to the dialog's
            // first or last control (a round trip to the server): wait for that, and fail if it never comes.
            await page.WaitForFunctionAsync("k => document.activeElement?.dataset.kbWalk !== k", p.Key);
            p = await page.EvaluateAsync<Probe>(FocusProbe, scope);
        }
        return new Focus(p.Key, p.Ring, p.DateField, p.Inside, p.What);
    }

    /// <summary>
    /// From the focused element, Tab (or Shift+Tab) until focus leaves <paramref name="scope"/> or comes
    /// back round to where it started (a dialog keeps focus inside); fails on a trap. Returns the elements passed.
    /// </summary>
    public static async Task<IReadOnlyList<Focus>> WalkAsync(this IPage page, string scope, bool backwards = false, int limit = 150)
    {
        var start = await page.FocusedAsync(scope);
        Assert.True(start.Inside, $"The walk through {scope} starts inside it, not on {start.What}.");
        var passed = new List<Focus> { start };
        var previous = start;
        var stays = 0;
        for (var i = 0; i < limit; i++)
        {
            var focus = await page.PressKeyAsync(backwards ? "Shift+Tab" : "Tab", scope);
            if (!focus.Inside || focus.Key == start.Key && focus.Key != previous.Key)
                return passed;
            passed.Add(focus);
            stays = focus.Key == previous.Key ? stays + 1 : 0;
            Assert.True(stays <= (focus.DateField ? 2 : 0),
                $"{(backwards ? "Shift+Tab" : "Tab")} left focus on {focus.What} ({stays + 1} times) in {scope}: a keyboard trap. Passed: {Describe(passed)}");
            previous = focus;
        }
        Assert.Fail($"{limit} {(backwards ? "Shift+Tabs" : "Tabs")} never left {scope}: {Describe(passed)}");
        return passed;
    }

    /// <summary>Presses <paramref name="key"/> and returns the new focus, failing when it landed on nothing or shows no ring.</summary>
    /// <summary>The page body has focus: after the last control, on the way round to the first (the browser's own bar, in a real window).</summary>
    public const string Body = "body";

    public static async Task<Focus> PressKeyAsync(this IPage page, string key, string? scope = null)
    {
        await page.Keyboard.PressAsync(key);
        var focus = await page.FocusedAsync(scope);
        Assert.True(focus.Key == Body || focus.Ring, $"{key} moved focus to {focus.What}, which shows no focus ring.");
        return focus;
    }

    /// <summary>Tabs until <paramref name="selector"/> has focus (failing on a trap on the way) and returns how many Tabs it took.</summary>
    public static async Task<int> TabToAsync(this IPage page, string selector, int limit = 60)
    {
        var previous = await page.FocusedAsync();
        for (var tabs = 1; tabs <= limit; tabs++)
        {
            var focus = await page.PressKeyAsync("Tab");
            Assert.True(focus.Key != previous.Key || focus.DateField, $"Tab left focus on {focus.What}: a keyboard trap.");
            if (focus.Key == Body)
                continue;
            if (await page.EvaluateAsync<bool>(IsFocused, selector))
                return tabs;
            previous = focus;
        }
        Assert.Fail($"{limit} Tabs never reached {selector}.");
        return limit;
    }

    // The element itself, or the focusable part of a MudBlazor select whose input carries the id.
    const string IsFocused = """
        s => { const e = document.activeElement;
               return !!e && (e.matches(s) || !!e.closest('.mud-select')?.querySelector(s)); }
        """;

    /// <summary>
    /// With focus on a MudBlazor select, picks <paramref name="option"/> with the keyboard: Enter opens it,
    /// the arrow keys move down the list, Enter picks; one more arrow each round until the option is picked.
    /// </summary>
    public static async Task ChooseAsync(this IPage page, string option)
    {
        const string Shown = "() => document.activeElement?.closest('.mud-select')?.querySelector('input')?.value ?? ''";
        for (var downs = 1; downs <= 15; downs++)
        {
            await page.Keyboard.PressAsync("Enter");
            await Assertions.Expect(page.Locator(".mud-popover-open .mud-list-item").First).ToBeVisibleAsync();
            for (var i = 0; i < downs; i++)
                await page.Keyboard.PressAsync("ArrowDown");
            await page.Keyboard.PressAsync("Enter");
            await Assertions.Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
            if ((await page.EvaluateAsync<string>(Shown)).StartsWith(option, StringComparison.Ordinal))
                return;
        }
        Assert.Fail($"The arrow keys never picked \"{option}\".");
    }

    /// <summary>Waits until a dialog is open and has taken focus (its keys are live), as a user sees it.</summary>
    public static async Task DialogReadyAsync(this IPage page)
    {
        await Assertions.Expect(page.Locator(".mud-dialog")).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => !!document.activeElement?.closest('.mud-dialog')");
    }

    /// <summary>Waits until a menu is open and has taken focus (its keys are live).</summary>
    public static async Task MenuReadyAsync(this IPage page)
    {
        await Assertions.Expect(page.Locator(".mud-popover-open .mud-menu-item").First).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => !!document.activeElement?.closest('.mud-popover-open')");
    }

    /// <summary>Waits for the page a link led to: its heading shown and focused (where the portal puts focus after a link).</summary>
    public static async Task ArrivedAsync(this IPage page, string heading)
    {
        var h1 = page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 });
        await Assertions.Expect(h1).ToBeFocusedAsync();
    }

    /// <summary>Signs in on the login page with the keyboard only: Tab to the email field, type, Tab, type, Enter.</summary>
    public static async Task SignInWithKeysAsync(this IPage page, string email, string password)
    {
        await page.GotoAsync("/account/login");
        await page.TabToAsync("#email");
        await page.Keyboard.TypeAsync(email);
        await page.TabToAsync("#password");
        await page.Keyboard.TypeAsync(password);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal), new() { Timeout = 60_000 });
        await page.WaitForFunctionAsync(Interactivity.CircuitReady, null, new() { Timeout = 60_000 });
    }

    static string Describe(IEnumerable<Focus> passed) => string.Join(" → ", passed.Select(f => f.What));
}
