// The API key, when Tracker requires one (Auth:Mode, README "Securing Tracker"). It is asked for
// when a call answers 401, kept in this tab's sessionStorage only (gone when the tab closes), and
// sent as `Authorization: Bearer <key>`.

const STORAGE_KEY = 'tracker.apiKey';
let pending = null;
let declined = false;

/** The key of this tab, or ''. */
export function apiKey() {
  try {
    return sessionStorage.getItem(STORAGE_KEY) ?? '';
  } catch {
    return '';
  }
}

/** Forgets the key of this tab. */
export function forgetKey() {
  sessionStorage.removeItem(STORAGE_KEY);
  showForgetButton();
}

/**
 * Asks for a key in a modal dialog and resolves once one is entered; rejects when the person
 * cancels. Calls that get a 401 at the same time share one dialog.
 * @param {string} reason why it is asked: the server's message for the 401
 */
export function askForKey(reason) {
  if (declined) {
    return Promise.reject(new Error('No API key was given.'));
  }
  pending ??= new Promise((resolve, reject) => {
    const dialog = document.getElementById('key-dialog');
    const form = dialog.querySelector('form');
    const input = dialog.querySelector('#api-key');
    dialog.querySelector('#key-reason').textContent = reason;
    input.value = '';
    const onClose = () => {
      dialog.removeEventListener('close', onClose);
      const key = input.value.trim();
      input.value = '';
      if (dialog.returnValue === 'ok' && key) {
        sessionStorage.setItem(STORAGE_KEY, key);
        showForgetButton();
        resolve(key);
      } else {
        // Not asked again by the other calls of this view; the next view asks again.
        declined = true;
        reject(new Error('No API key was given.'));
      }
    };
    dialog.addEventListener('close', onClose);
    form.onsubmit = null;
    dialog.returnValue = '';
    dialog.showModal();
    input.focus();
  }).finally(() => {
    pending = null;
  });
  return pending;
}

/** Lets the next 401 ask for a key again, after the person cancelled the dialog. */
export function allowKeyPrompt() {
  declined = false;
}

/** Shows the "Forget API key" button while a key is kept. */
export function showForgetButton() {
  const button = document.getElementById('forget-key');
  if (button) {
    button.hidden = apiKey() === '';
  }
}
