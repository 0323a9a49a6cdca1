// One event: every field, its links, labels and resources, the events it follows and those that
// follow it, and its change history from the watch stream's change log, kept up to date live.

import { ApiError, Codes, getEvent, listEvents } from './api.js';
import { append, clear, h } from './dom.js';
import { label } from './enums.js';
import { eventRow, statusBadge, typeChip } from './eventview.js';
import { listFields, valueAt } from './fields.js';
import { countText, durationSeconds, durationText, isLowerBound, timeElement } from './format.js';
import { watch } from './live.js';
import { quote } from './query.js';
import { urlOf } from './urlstate.js';

const FOLLOWERS_SHOWN = 20;

// The lists of text shown joined by commas, as people write them; every other one the server has
// (arguments, ...) is shown as the ordered list it is, under its name in words.
const JOINED = ['attributes.stake_holders', 'attributes.notifications'];
const LISTS = listFields(JOINED);

/**
 * Renders the event state.id into main.
 * @param {{signal: AbortSignal}} context
 */
export async function renderDetail(main, state, { signal }) {
  let event;
  try {
    event = await getEvent(state.id, signal);
  } catch (error) {
    if (signal.aborted) {
      return;
    }
    clear(main);
    const notFound = error instanceof ApiError && error.code === Codes.NOT_FOUND;
    append(main,
      h('h1', {}, notFound ? 'No such event' : 'The event could not be loaded'),
      h('p', { class: 'problem', role: 'alert' }, notFound ? `No event has the id ${state.id}.` : error.message),
      h('p', {}, h('a', { href: '/' }, 'Back to the timeline')));
    return;
  }
  if (signal.aborted) {
    return;
  }

  const title = h('h1', { class: 'event-heading', dir: 'auto' });
  const badges = h('div', { class: 'badges' });
  const deleted = h('p', { class: 'problem', role: 'alert', hidden: true });
  const body = h('div', { class: 'detail-body' });
  const related = h('section', { class: 'related', 'aria-labelledby': 'related-title' }, h('h2', { id: 'related-title' }, 'Related events'));
  const history = h('ol', { class: 'history' });
  const historyNote = h('p', { class: 'hint' });
  clear(main);
  append(main,
    h('div', { class: 'view-head' },
      h('p', { class: 'crumbs' }, h('a', { href: '/' }, 'Timeline'), ' › Event'),
      title, badges,
      h('div', { class: 'actions' },
        h('a', { class: 'button', href: urlOf({ view: 'edit', id: event.id }) }, 'Edit'),
        h('a', { class: 'button secondary', href: urlOf({ view: 'new', related: event.id }) }, 'Record a follow-up'))),
    deleted, body, related,
    h('section', { class: 'changes', 'aria-labelledby': 'history-title' },
      h('h2', { id: 'history-title' }, 'Change history'), historyNote, history));

  const show = (current) => {
    document.title = `${current.title} · Tracker`;
    title.textContent = current.title;
    clear(badges);
    append(badges, typeChip(current.attributes?.type), ' ', statusBadge(current.attributes?.status));
    clear(body);
    append(body, ...sections(current));
  };
  show(event);
  renderRelated(related, event, signal);
  watchHistory(event, { history, historyNote, deleted, show, signal });
}

/** The event's fields, message, links, labels and resources. */
function sections(event) {
  const a = event.attributes ?? {};
  const l = event.links ?? {};
  const time = (value) => (value ? timeElement(new Date(value)) : null);
  const rows = [
    ['Type', label('type', a.type)],
    ['Status', label('status', a.status)],
    ['Service', a.service],
    ['Environment', label('environment', a.environment)],
    ['Priority', label('priority', a.priority)],
    ['Severity', label('severity', a.severity)],
    ['Impact', label('impact', a.impact)],
    ['Owner', a.owner],
    ['Stake holders', (a.stakeHolders ?? []).join(', ')],
    ['Source', a.source],
    ['Reason', a.reason],
    ['Code', a.code ? String(a.code) : ''],
    ['Start', time(a.startDate)],
    ['End', time(a.endDate)],
    ['Duration', durationText(durationSeconds(event.duration))],
    ['Notification', a.notification === undefined ? '' : (a.notification ? 'Yes' : 'No')],
    ['Notify', (a.notifications ?? []).join(', ')],
    ...LISTS.map((field) => [field.label, orderedList(valueAt(event, field.path), field.name)]),
    ['Pull request', linkOrText(l.pullRequestLink)],
    ['Ticket', linkOrText(l.ticket)],
    ['Related to', a.relatedId ? h('a', { href: urlOf({ view: 'detail', id: a.relatedId }) }, a.relatedId) : ''],
    ['Seen', event.count > 1 ? `${event.count} times` : ''],
    ['First seen', event.count > 1 ? time(event.firstSeenAt) : null],
    ['Last seen', event.count > 1 ? time(event.lastSeenAt) : null],
    ['Aggregation key', event.aggregationKey],
    ['Recorded', time(event.createdAt)],
    ['Recorded by', event.createdBy],
    ['Last changed', time(event.updatedAt)],
    ['Changed by', event.updatedBy],
    ['Id', h('code', {}, event.id)],
    ['Etag', h('code', {}, event.etag)],
  ].filter(([, value]) => value !== null && value !== undefined && value !== '');
  const labels = Object.entries(a.labels ?? {});
  const resources = a.resources ?? [];
  return [
    a.message ? h('section', { class: 'message', 'aria-label': 'Message' }, h('p', { class: 'message-text' }, a.message)) : null,
    h('dl', { class: 'fields' }, rows.map(([name, value]) => [h('dt', {}, name), h('dd', {}, value)])),
    labels.length
      ? h('section', { 'aria-labelledby': 'labels-title' }, h('h2', { id: 'labels-title' }, 'Labels'),
        table(['Key', 'Value'], labels.map(([key, value]) => [key, value])))
      : null,
    resources.length
      ? h('section', { 'aria-labelledby': 'resources-title' }, h('h2', { id: 'resources-title' }, 'Resources'),
        table(['Kind', 'Name', 'Id', 'Namespace'], resources.map((r) => [r.kind, r.name, r.id, r.namespace])))
      : null,
  ];
}

/** A list's elements in their order (dir=auto each), or '' when it has none. */
function orderedList(items, name) {
  return Array.isArray(items) && items.length
    ? h('ol', { class: 'values', 'data-field': name }, items.map((item) => h('li', { dir: 'auto' }, item)))
    : '';
}

/** A link when the text is an http(s) URL (never javascript: or data:), else the text. */
function linkOrText(text) {
  if (!text) {
    return '';
  }
  try {
    const url = new URL(text);
    if (url.protocol === 'https:' || url.protocol === 'http:') {
      return h('a', { href: url.href, rel: 'noopener noreferrer', target: '_blank' }, text);
    }
  } catch {
    // Not a URL: a ticket id such as PROJ-456.
  }
  return text;
}

function table(headers, rows) {
  return h('div', { class: 'table-wrap' },
    h('table', {},
      h('thead', {}, h('tr', {}, headers.map((name) => h('th', { scope: 'col' }, name)))),
      h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((cell) => h('td', {}, cell ?? '')))))));
}

/** The event it follows (related_id) and the events that name it (filter related_id="<id>"). */
async function renderRelated(section, event, signal) {
  const follows = h('div', { class: 'follows' }, h('h3', {}, 'Follows'));
  const followers = h('div', { class: 'followers' }, h('h3', {}, 'Followed by'));
  append(section, follows, followers);
  const relatedId = event.attributes?.relatedId;
  if (relatedId) {
    try {
      const previous = await getEvent(relatedId, signal);
      append(follows, h('ol', { class: 'events' }, eventRow(previous)));
    } catch (error) {
      if (signal.aborted) {
        return;
      }
      append(follows, h('p', {}, `Event ${relatedId}: `, error instanceof ApiError && error.code === Codes.NOT_FOUND ? 'no longer exists.' : error.message));
    }
  } else {
    append(follows, h('p', { class: 'hint' }, 'It follows no other event.'));
  }
  const filter = `related_id=${quote(event.id)}`;
  try {
    const page = await listEvents({ filter, orderBy: 'start_date desc', pageSize: FOLLOWERS_SHOWN }, signal);
    const events = page.events ?? [];
    if (events.length === 0) {
      append(followers, h('p', { class: 'hint' }, 'No event names it as related.'));
    } else {
      append(followers, h('ol', { class: 'events' }, events.map(eventRow)));
      if (page.nextPageToken) {
        append(followers, h('p', {}, h('a', { href: urlOf({ view: 'timeline', filters: { filter } }) }, `All ${countText(Number(page.totalCount), { atLeast: isLowerBound(page), shown: events.length })} events that follow it`)));
      }
    }
  } catch (error) {
    if (!signal.aborted) {
      append(followers, h('p', { class: 'problem' }, error.message));
    }
  }
}

// The fields a change can alter that are worth telling; the rest (etag, updated_at) change on
// every update.
const TRACKED = [
  ['Title', (e) => e.title],
  ['Type', (e) => label('type', e.attributes?.type)],
  ['Status', (e) => label('status', e.attributes?.status)],
  ['Service', (e) => e.attributes?.service],
  ['Environment', (e) => label('environment', e.attributes?.environment)],
  ['Priority', (e) => label('priority', e.attributes?.priority)],
  ['Severity', (e) => label('severity', e.attributes?.severity)],
  ['Impact', (e) => label('impact', e.attributes?.impact)],
  ['Owner', (e) => e.attributes?.owner],
  ['Start', (e) => localTime(e.attributes?.startDate)],
  ['End', (e) => localTime(e.attributes?.endDate)],
  ['Message', (e) => e.attributes?.message],
  ['Source', (e) => e.attributes?.source],
  ['Reason', (e) => e.attributes?.reason],
  ['Related to', (e) => e.attributes?.relatedId],
  ['Stake holders', (e) => (e.attributes?.stakeHolders ?? []).join(', ')],
  ['Notify', (e) => (e.attributes?.notifications ?? []).join(', ')],
  ...LISTS.map((field) => [field.label, (e) => (valueAt(e, field.path) ?? []).join(', ')]),
  ['Labels', (e) => Object.entries(e.attributes?.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(', ')],
  ['Pull request', (e) => e.links?.pullRequestLink],
  ['Ticket', (e) => e.links?.ticket],
  ['Seen', (e) => (e.count > 1 ? `${e.count} times` : '')],
];

// The main fields, listed with their values after the first change, whose "before" is unknown.
const FIRST_CHANGE = ['Title', 'Status', 'Severity', 'Priority', 'Owner', 'End'];

function localTime(value) {
  return value ? new Date(value).toLocaleString() : '';
}

/** What changed between two versions: [[field, before, after]]. */
function differences(before, after) {
  return TRACKED
    .map(([name, read]) => [name, read(before) ?? '', read(after) ?? ''])
    .filter(([, old, now]) => old !== now);
}

/**
 * The change history: "Recorded" from the event itself, then every later change replayed from
 * the change log (WatchEvents, after_id = the event's id, filter id="<id>"), then live ones.
 * A change message carries the event after the change, so each change is told as its
 * difference from the one before; the first change after the event was recorded has no
 * "before" in the stream (the creation itself is not replayed from an event id), so its new
 * values are listed.
 */
function watchHistory(event, { history, historyNote, deleted, show, signal }) {
  append(history, h('li', {},
    h('span', { class: 'change-kind' }, 'Recorded'), ' ', timeElement(new Date(event.createdAt)),
    event.createdBy ? ` by ${event.createdBy}` : ''));
  let previous = null;
  let caughtUp = event.updatedAt === event.createdAt;
  historyNote.textContent = caughtUp ? 'Not changed since it was recorded.' : 'Loading the changes…';

  watch({
    filter: `id=${quote(event.id)}`,
    afterId: event.id,
    signal,
    showState: false,
    onChange: (message) => {
      const now = message.event;
      if (message.changeType === 'CHANGE_TYPE_DELETED') {
        deleted.textContent = 'This event has been deleted.';
        deleted.hidden = false;
        append(history, changeItem('Deleted', message, []));
        return;
      }
      const changes = previous ? differences(previous, now) : TRACKED
        .filter(([name]) => FIRST_CHANGE.includes(name))
        .map(([name, read]) => [name, null, read(now) ?? ''])
        .filter(([, , value]) => value !== '');
      append(history, changeItem(previous ? 'Updated' : 'Updated, to', message, changes));
      previous = now;
      if (now.etag === event.etag) {
        caughtUp = true;
      }
      historyNote.textContent = caughtUp ? '' : 'Loading the changes…';
      if (caughtUp) {
        show(now);
      }
    },
    onExpired: () => {
      historyNote.textContent = 'Its changes are no longer in the change log, which keeps them for Tracker:Watch:ChangeRetention (7 days by default).';
    },
    onStop: (error) => {
      historyNote.textContent = `The change history cannot be shown: ${error.message}`;
    },
  });
}

function changeItem(kind, message, changes) {
  const who = message.event?.updatedBy;
  return h('li', {},
    h('span', { class: 'change-kind' }, kind), ' ',
    message.changeTime ? timeElement(new Date(message.changeTime)) : null,
    who ? ` by ${who}` : '',
    changes.length
      ? h('ul', { class: 'change-list' }, changes.map(([name, before, after]) => h('li', {},
        h('span', { class: 'fact-label' }, name), ' ',
        // Each value isolated (bdi), so that right-to-left text or a stray U+202E in one value
        // cannot reorder the arrow and the other value around it.
        before === null ? h('bdi', {}, after || '(none)') : [h('bdi', {}, before || '(none)'), ' → ', h('bdi', {}, after || '(none)')])))
      : null);
}
