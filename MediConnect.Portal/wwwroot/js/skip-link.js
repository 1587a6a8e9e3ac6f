// "Skip to main content" moves keyboard focus to the page's <main> without a navigation: Blazor
// would resolve "#main-content" against <base href="/"> and leave for the home page.
document.addEventListener('click', event => {
    const link = event.target instanceof Element ? event.target.closest('a.skip-link') : null;
    const main = link && document.getElementById('main-content');
    if (!main) return;
    event.preventDefault();
    event.stopPropagation();
    main.focus();
    main.scrollIntoView();
}, true);
