// The booking forms' day fields (DayField.razor) hide Chromium's calendar button: it was an extra,
// invisible Tab stop with no focus ring. A click on the field opens the browser's calendar instead;
// a phone opens its own date picker on a tap either way, and the keyboard types the day.
document.addEventListener('click', event => {
    const field = event.target instanceof Element ? event.target.closest('input.day-field-input') : null;
    if (field && typeof field.showPicker === 'function') {
        try { field.showPicker(); } catch { /* not allowed here (e.g. not a user gesture): typing still works */ }
    }
});
