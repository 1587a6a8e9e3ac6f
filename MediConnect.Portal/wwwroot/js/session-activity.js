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
