// The page's entry point: shows the view its URL names, and moves between views without
// reloading (history.pushState), so that every view has a URL to bookmark or share.

import { allowKeyPrompt, forgetKey, showForgetButton } from './auth.js';
import { append, clear, h } from './dom.js';
import { renderDetail } from './detail.js';
import { renderEditor } from './editor.js';
import { showLiveState } from './live.js';
import { renderNotifications } from './notifications.js';
import { renderTimeline } from './timeline.js';
import { readState } from './urlstate.js';

const main = document.getElementById('main');
let current = null;
let pendingFlash = '';
let firstView = true;

/** Goes to a URL of this page: the browser's history gets an entry, the view is rendered. */
function navigate(url, { replace = false } = {}) {
  if (replace) {
    history.replaceState(null, '', url);
  } else {
    history.pushState(null, '', url);
  }
  render();
}

/** A message for the next view ("Event recorded."). */
function flash(text) {
  pendingFlash = text;
}

const TITLES = { timeline: 'Timeline', today: 'Today', detail: 'Event', new: 'New event', edit: 'Edit event', notifications: 'Notifications' };

async function render() {
  current?.abort();
  const controller = new AbortController();
  current = controller;
  const state = readState();
  allowKeyPrompt();
  document.title = `${TITLES[state.view]} · Tracker`;
  delete document.documentElement.dataset.ready;
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === state.view && !link.classList.contains('brand')) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
  showLiveState('off');
  const message = pendingFlash;
  pendingFlash = '';
  const context = { signal: controller.signal, navigate, flash };
  try {
    if (state.view === 'detail') {
      await renderDetail(main, state, context);
    } else if (state.view === 'new' || state.view === 'edit') {
      await renderEditor(main, state, context);
    } else if (state.view === 'notifications') {
      await renderNotifications(main, state, context);
    } else {
      await renderTimeline(main, state, context);
    }
  } catch (error) {
    if (controller.signal.aborted) {
      return;
    }
    clear(main);
    append(main, h('h1', {}, 'Something went wrong'), h('p', { class: 'problem', role: 'alert' }, String(error?.message ?? error)));
  }
  if (controller.signal.aborted) {
    return;
  }
  if (message) {
    main.prepend(h('p', { class: 'flash', role: 'status' }, message));
  }
  document.documentElement.dataset.ready = state.view;
  if (!firstView) {
    // After a navigation, the new view's heading takes the focus, as a page load would.
    const heading = main.querySelector('h1');
    heading?.setAttribute('tabindex', '-1');
    heading?.focus();
  }
  firstView = false;
}

// Links within the page (href "/" or "/?...") change the view without a reload; others (the API
// docs), new-tab clicks and modified clicks are left to the browser.
document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
    return;
  }
  const link = event.target.closest?.('a[href]');
  if (!link || link.target || link.hasAttribute('download')) {
    return;
  }
  const url = new URL(link.href);
  if (url.origin !== window.location.origin || url.pathname !== '/' || (url.hash && url.search === window.location.search)) {
    return;
  }
  event.preventDefault();
  navigate(url.pathname + url.search);
});

window.addEventListener('popstate', render);
document.getElementById('forget-key').addEventListener('click', () => {
  forgetKey();
  render();
});
showForgetButton();
render();
