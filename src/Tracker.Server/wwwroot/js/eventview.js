// One event as a row of the timeline: type (symbol, label, colour), title, status, how often a
// folded event was seen, service, environment, priority, owner, duration and time. All text goes
// in as text nodes.

import { h } from './dom.js';
import { cssName, isSet, label, typeIcon } from './enums.js';
import { durationSeconds, durationText, eventTime, timeElement } from './format.js';
import { urlOf } from './urlstate.js';

/** The type chip: its symbol (hidden from screen readers), its label, its colour by class. */
export function typeChip(type) {
  return h('span', { class: `type-chip type-${cssName('type', type)}` },
    h('span', { class: 'type-icon', 'aria-hidden': 'true' }, typeIcon(type)),
    ' ', label('type', type) || 'No type');
}

/** The status badge, coloured by status class; '' when the event has none. */
export function statusBadge(status) {
  return isSet(status) ? h('span', { class: `badge status-${cssName('status', status)}` }, label('status', status)) : null;
}

/**
 * How often a folded event was seen and when last (README, "Folding repeated events"): '×12'
 * (read out as "Seen 12 times"), then "last seen 3 minutes ago" (UTC on hover); null for an
 * event seen once, or recorded before folding existed (count 0).
 */
export function foldedFact(event) {
  const count = Number(event.count ?? 0);
  if (!(count > 1)) {
    return null;
  }
  const times = `Seen ${count.toLocaleString()} times`;
  const last = event.lastSeenAt ? new Date(event.lastSeenAt) : null;
  return h('span', { class: 'fact folded' },
    h('span', { class: 'badge fold-count', 'aria-hidden': 'true', title: times }, `×${count.toLocaleString()}`),
    h('span', { class: 'visually-hidden' }, `${times},`),
    last ? [' ', h('span', { class: 'fact-label' }, 'last seen'), ' ', timeElement(last, { style: 'relative', className: 'last-seen' })] : null);
}

function fact(name, value, className) {
  return value ? h('span', { class: `fact ${className ?? ''}`.trim() }, h('span', { class: 'fact-label' }, name), ' ', value) : null;
}

/**
 * A timeline row (<li>) for an event; data-id and data-time place it in the list, data-updated
 * (ms) tells whether another copy of the event is newer.
 */
export function eventRow(event) {
  const a = event.attributes ?? {};
  const when = eventTime(event);
  const duration = durationText(durationSeconds(event.duration));
  return h('li', { class: `event type-${cssName('type', a.type)}`, 'data-id': event.id, 'data-updated': Date.parse(event.updatedAt ?? event.createdAt) || 0, 'data-time': when.getTime() },
    typeChip(a.type),
    h('div', { class: 'event-body' },
      // dir=auto: a right-to-left title reads in its own direction, isolated from the row's.
      h('a', { class: 'event-title', dir: 'auto', href: urlOf({ view: 'detail', id: event.id }) }, event.title),
      h('div', { class: 'facts' },
        statusBadge(a.status),
        foldedFact(event),
        fact('Service', a.service, 'service'),
        fact('Env', label('environment', a.environment)),
        fact('Priority', label('priority', a.priority)),
        isSet(a.severity) ? fact('Severity', label('severity', a.severity)) : null,
        fact('Owner', a.owner),
        fact('Duration', duration))),
    h('div', { class: 'event-when' },
      timeElement(when, { style: 'relative', className: 'relative' }),
      timeElement(when, { style: 'clock', className: 'clock' })));
}
