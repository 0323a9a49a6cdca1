// The timeline and today views: the filters, then the events newest first grouped by local day,
// 50 at a time ("Load more" follows the page token), and the live changes of the same filter.

import { ApiError, Codes, isTransient, listEvents, sleep, todayEvents } from './api.js';
import { append, clear, fromTemplate, h } from './dom.js';
import { ENUMS } from './enums.js';
import { eventRow } from './eventview.js';
import { FILTER_FIELDS } from './fields.js';
import { browserTimeZone, countText, dayKey, dayTitle, eventTime, isLowerBound, localDayStart, prepareFormats, refreshRelativeTimes } from './format.js';
import { watch } from './live.js';
import { filterExpression, matchesText } from './query.js';
import { FILTER_NAMES, hasFilters, urlOf } from './urlstate.js';

const PAGE_SIZE = 50;
const ORDER = 'start_date desc';

/**
 * Renders the timeline (mode 'timeline') or today's events (mode 'today') into main.
 * @param {HTMLElement} main
 * @param {{view: string, filters: object}} state from readState
 * @param {{signal: AbortSignal, navigate: (url: string) => void}} context
 */
export async function renderTimeline(main, state, { signal, navigate }) {
  const today = state.view === 'today';
  const filters = state.filters;
  // The first page is asked for before anything else is built: the form, the stream and the
  // locale's formatters are made while it is on the way.
  const zone = today ? browserTimeZone() : '';
  const own = (filters.filter ?? '').trim();
  const filter = filterExpression(filters, { dates: !today });
  const query = { filter, q: filters.q, orderBy: ORDER, pageSize: PAGE_SIZE };
  const fetchPage = (pageToken) => (today
    ? todayEvents({ ...query, timeZone: zone, pageToken }, signal)
    : listEvents({ ...query, pageToken }, signal));
  const firstPage = fetchPage('');
  firstPage.catch(() => {}); // Read (and its failure shown) by loadPage below.

  const heading = h('h1', {}, today ? 'Today' : 'Timeline');
  const summary = h('p', { class: 'summary', role: 'status', 'aria-live': 'polite' }, 'Loading events…');
  const problem = h('div', { class: 'problem', role: 'alert', hidden: true });
  const list = h('div', { class: 'timeline', 'aria-busy': 'true' });
  const more = h('button', { type: 'button', class: 'load-more', hidden: true }, 'Load more');
  const announcer = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
  const form = filterForm(filters, today, navigate);
  clear(main);
  append(main,
    h('div', { class: 'view-head' }, heading,
      today ? h('p', { class: 'hint' }, `The events of today in your time zone, ${zone}.`) : null),
    form, summary, problem, list, more, announcer);

  const shown = new Map();
  let total = 0;
  // The server counted up to its limit: total is a lower bound, shown as '10,000+'.
  let atLeast = false;
  let nextToken = '';
  let oldest = Infinity;
  let loaded = false;
  const early = [];

  const showSummary = () => {
    summary.textContent = shown.size === 0
      ? (hasFilters(filters) ? 'No event matches these filters.' : 'No events yet.')
      : `Showing ${shown.size.toLocaleString()} of ${countText(total, { atLeast, shown: shown.size })} event${total === 1 && !atLeast ? '' : 's'}${hasFilters(filters) ? ' matching the filters' : ''}.`;
  };

  // Takes a row out, and its day's section with it when it was the day's last row.
  const unplace = (row) => {
    const day = row.closest('section');
    row.remove();
    if (day && !day.querySelector('li')) {
      day.remove();
    }
  };

  const place = (event, fresh) => {
    const row = eventRow(event);
    if (fresh) {
      row.classList.add('fresh');
    }
    const previous = shown.get(event.id);
    const hadFocus = previous?.contains(document.activeElement);
    if (previous) {
      unplace(previous);
    }
    insertRow(list, row, eventTime(event));
    shown.set(event.id, row);
    if (hadFocus) {
      row.querySelector('.event-title').focus();
    }
    return row;
  };

  const remove = (id) => {
    const row = shown.get(id);
    if (row) {
      unplace(row);
      shown.delete(id);
    }
  };

  const applyChange = (message) => {
    const event = message.event;
    if (!event?.id) {
      return;
    }
    if (message.changeType === 'CHANGE_TYPE_DELETED') {
      if (shown.has(event.id)) {
        remove(event.id);
        total = Math.max(0, total - 1);
        showSummary();
      }
      return;
    }
    if (message.changeType === 'CHANGE_TYPE_UPDATED') {
      // The stream sends an update that takes an event out of the filter too, with the event as
      // it now is: the row shows its new state.
      if (shown.has(event.id)) {
        place(event, false);
      }
      return;
    }
    // Created: shown when it matches the words too (the stream has no q) and falls within the
    // loaded pages (an older one shows up when its page is loaded).
    if (shown.has(event.id) || !matchesText(event, filters.q)) {
      return;
    }
    if (nextToken && eventTime(event).getTime() < oldest) {
      total += 1;
      showSummary();
      return;
    }
    place(event, true);
    total += 1;
    showSummary();
    announcer.textContent = `New event: ${event.title}`;
  };

  // The stream and the first page start together. An event committed after the page was read
  // but before the stream started would be in neither: each time the stream opens (at first,
  // and again after a drop before any change came, when it restarts from the present), the
  // first page is read once more and what it has that is not shown is added (reconcile below).
  let reconcile = null;
  let openedEarly = false;
  watch({
    filter: today ? filterExpression({ ...filters, from: dayKey(new Date()), to: dayKey(new Date()) }) : filter,
    signal,
    onOpen: () => (reconcile ? reconcile() : (openedEarly = true)),
    // Kept until the first page is in (bounded: a page that cannot load does not hoard changes).
    onChange: (message) => (loaded ? applyChange(message) : early.length < 10_000 && early.push(message)),
  });

  let failure = null;
  const loadPage = async (token, pending = fetchPage(token)) => {
    failure = null;
    more.disabled = true;
    list.setAttribute('aria-busy', 'true');
    try {
      const page = await pending;
      if (signal.aborted) {
        return null;
      }
      problem.hidden = true;
      total = Number(page.totalCount ?? 0);
      atLeast = isLowerBound(page);
      nextToken = page.nextPageToken ?? '';
      const rows = [];
      for (const event of page.events ?? []) {
        if (!shown.has(event.id)) {
          rows.push(place(event, false));
        }
        oldest = Math.min(oldest, eventTime(event).getTime());
      }
      more.hidden = nextToken === '';
      showSummary();
      return rows;
    } catch (error) {
      failure = error;
      if (!signal.aborted) {
        await showProblem(error, problem, form, own);
        summary.textContent = '';
      }
      return null;
    } finally {
      more.disabled = false;
      list.setAttribute('aria-busy', 'false');
    }
  };

  prepareFormats();
  // A busy or unreachable server is asked again, backing off from 1 to 30 s, with the wait shown
  // under the problem; a refusal for good (a bad filter, no permission) is not.
  let rows = await loadPage('', firstPage);
  for (let delay = 1_000; rows === null && !signal.aborted && isTransient(failure); delay = Math.min(delay * 2, 30_000)) {
    append(problem, h('p', { class: 'hint' }, `Trying again in ${delay / 1000} s.`));
    await sleep(delay, signal);
    if (signal.aborted) {
      return;
    }
    early.length = 0; // What changed before this read is in it.
    rows = await loadPage('');
  }
  if (signal.aborted || rows === null) {
    return;
  }
  loaded = true;
  early.splice(0).forEach(applyChange);
  performance.mark('tracker:first-page');
  // The frame after next starts once the frame showing the first page has been made.
  requestAnimationFrame(() => requestAnimationFrame(() => performance.mark('tracker:first-page-painted')));

  // After the stream has (re)started: the events of the first page that are not shown yet, and
  // the new state of those shown (an update made while the stream was down). Asked again while
  // the server is busy or out of reach (backing off from 0.5 to 8 s), as the stream itself is.
  reconcile = async (delay = 500) => {
    if (signal.aborted || !problem.hidden) {
      return;
    }
    let page;
    try {
      page = await fetchPage('');
    } catch (error) {
      if (isTransient(error) && delay <= 8_000 && !signal.aborted) {
        setTimeout(() => reconcile(delay * 2), delay);
      }
      return;
    }
    if (signal.aborted) {
      return;
    }
    for (const event of page.events ?? []) {
      const row = shown.get(event.id);
      const newer = row && (Date.parse(event.updatedAt ?? event.createdAt) || 0) > Number(row.dataset.updated);
      if (row ? newer : (nextToken === '' || eventTime(event).getTime() >= oldest)) {
        place(event, !row);
      }
    }
    total = Number(page.totalCount ?? total);
    atLeast = isLowerBound(page);
    showSummary();
  };
  if (openedEarly) {
    reconcile();
  }

  // At the browser's midnight, today's events are another day's: the today view starts again,
  // and the timeline's "Today" and "Yesterday" headings move on.
  const midnight = new Date();
  midnight.setHours(24, 0, 1, 0);
  const rollover = setTimeout(() => {
    if (today) {
      navigate(urlOf({ view: 'today', filters }), { replace: true });
    } else {
      for (const section of list.querySelectorAll('section[data-day]')) {
        const title = dayTitle(localDayStart(section.dataset.day));
        section.setAttribute('aria-label', title);
        section.querySelector('h2').textContent = title;
      }
    }
  }, midnight.getTime() - Date.now());
  signal.addEventListener('abort', () => clearTimeout(rollover), { once: true });

  more.addEventListener('click', async () => {
    const rows = await loadPage(nextToken);
    if (rows?.length && more.hidden) {
      rows[0].querySelector('.event-title').focus();
    }
  });
  const timer = setInterval(() => refreshRelativeTimes(list), 30_000);
  signal.addEventListener('abort', () => clearInterval(timer), { once: true });
}

/** Puts a row in its day's section (made when missing), both kept newest first. */
function insertRow(list, row, when) {
  const key = dayKey(when);
  let section = list.querySelector(`section[data-day="${key}"]`);
  if (!section) {
    section = h('section', { class: 'day', 'data-day': key, 'aria-label': dayTitle(when) },
      h('h2', {}, dayTitle(when)),
      h('ol', { class: 'events' }));
    const after = [...list.children].find((other) => other.dataset.day < key);
    list.insertBefore(section, after ?? null);
  }
  const rows = section.querySelector('ol');
  const time = Number(row.dataset.time);
  const last = rows.lastElementChild;
  if (!last || Number(last.dataset.time) >= time) {
    rows.append(row);
    return;
  }
  const before = [...rows.children].find((other) => Number(other.dataset.time) < time);
  rows.insertBefore(row, before ?? null);
}

/** The filter form, filled from the URL; submitting it navigates to the filtered URL. */
function filterForm(filters, today, navigate) {
  const box = fromTemplate('tpl-filters');
  const form = box.querySelector('form');
  for (const select of form.querySelectorAll('select[data-enum]')) {
    select.append(h('option', { value: '' }, 'Any'));
    for (const [name, text] of ENUMS[select.dataset.enum].values) {
      select.append(h('option', { value: name.slice(ENUMS[select.dataset.enum].prefix.length).toLowerCase() }, text));
    }
  }
  for (const name of FILTER_NAMES) {
    form.elements[name].value = filters[name] ?? '';
  }
  // The fields the server can filter on, from its own list, each with its kind (and values).
  append(form.querySelector('#f-filter-fields'), FILTER_FIELDS.map(({ name, about }) => h('li', {}, h('code', {}, name), ` ${about}`)));
  for (const field of form.querySelectorAll('[data-dates]')) {
    field.hidden = today;
  }
  const active = FILTER_NAMES.filter((name) => filters[name] && !(today && (name === 'from' || name === 'to'))).length;
  box.querySelector('summary').textContent = active ? `Filters (${active} active)` : 'Filters';
  box.open = active > 0 || window.matchMedia('(min-width: 50rem)').matches;
  const view = today ? 'today' : 'timeline';
  form.querySelector('[data-clear]').setAttribute('href', urlOf({ view }));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = {};
    for (const name of FILTER_NAMES) {
      next[name] = form.elements[name].value.trim();
    }
    if (today) {
      next.from = filters.from;
      next.to = filters.to;
    }
    navigate(urlOf({ view, filters: next }));
  });
  return box;
}

/**
 * Says why the list could not be shown. A bad filter expression is shown under its field, with
 * the server's position and reason for the person's own text (checked alone when the fields'
 * restrictions were ANDed to it, so that the column and message are about what they typed).
 */
async function showProblem(error, problem, form, own) {
  const filterError = form.querySelector('#f-filter-error');
  const filterInput = form.querySelector('#f-filter');
  filterError.hidden = true;
  filterInput.removeAttribute('aria-invalid');
  let message = error instanceof ApiError ? error.message : 'The events could not be loaded: the server did not answer.';
  const violation = error instanceof ApiError ? error.violations.find((v) => v.field === 'filter') : null;
  if (violation && own) {
    let description = violation.description;
    try {
      await listEvents({ filter: own, pageSize: 1 });
    } catch (alone) {
      description = alone instanceof ApiError ? (alone.violations.find((v) => v.field === 'filter')?.description ?? description) : description;
    }
    filterError.textContent = `The filter expression is not valid: ${description}`;
    filterError.hidden = false;
    filterInput.setAttribute('aria-invalid', 'true');
    form.closest('details').open = true;
    message = 'The filter expression is not valid; see the filters.';
  } else if (error instanceof ApiError && error.code === Codes.UNAUTHENTICATED) {
    message = `${error.message} Reload the page to enter an API key.`;
  }
  clear(problem);
  append(problem, h('p', {}, message));
  problem.hidden = false;
}
