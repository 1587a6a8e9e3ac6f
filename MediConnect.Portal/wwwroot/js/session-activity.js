// Counts typing, clicking and scrolling as activity for the server-side idle timeout: at most
// every 30 seconds, and only after some activity, it tells the portal the user is still here.
(() => {
    let active = false;
    const mark = () => { active = true; };
    for (const type of ['pointerdown', 'keydown', 'wheel', 'touchstart']) {
        addEventListener(type, mark, { capture: true, passive: true });
    }
    setInterval(() => {
        if (!active) return;
        active = false;
        fetch('account/keep-alive', { method: 'POST', credentials: 'same-origin' }).catch(() => { });
    }, 30000);
})();

// Called by the idle warning when the session has ended: goes to the login page, unless the page is
// already leaving (the user's own "Sign out" form is on its way and must win). A page still here
// 10 seconds after it began to leave (a download) is not leaving any more.
(() => {
    let unloading = false;
    addEventListener('beforeunload', () => {
        unloading = true;
        setTimeout(() => { unloading = false; }, 10000);
    });
    window.mediconnectLeave = url => {
        if (unloading) return false;
        location.assign(url);
        return true;
    };
})();
