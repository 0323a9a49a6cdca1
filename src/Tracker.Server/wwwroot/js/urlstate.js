// What the page shows, in its URL, so that any view (a filtered timeline included) can be
// bookmarked and shared: ?view=today&service=pay*&type=incident&from=2026-11-01&q=rollback

import { fullName } from './enums.js';
import { localDayStart } from './format.js';

/** The filters of the timeline and today views, by URL parameter; enums by short name. */
export const FILTER_NAMES = ['q', 'service', 'type', 'environment', 'status', 'priority', 'severity', 'from', 'to', 'filter'];

/** The enum kind of each enum filter. */
export const ENUM_FILTERS = { type: 'type', environment: 'environment', status: 'status', priority: 'priority', severity: 'severity' };

/**
 * The state in a URL: {view: 'timeline'|'today'|'detail'|'new'|'edit'|'notifications', id,
 * related, filters, channel, delivery}; channel and delivery (a delivery state's short name,
 * 'failed') are the notifications view's selected channel and state filter.
 * Unknown enum names and days not in the calendar are dropped, so a bad link shows the
 * unfiltered list instead of an error.
 */
export function readState(url = window.location.href) {
  const params = new URL(url).searchParams;
  const filters = {};
  for (const name of FILTER_NAMES) {
    let value = (params.get(name) ?? '').trim();
    if (ENUM_FILTERS[name]) {
      // As the form's options name it (?type=INCIDENT is incident), so that the form shows it.
      value = fullName(ENUM_FILTERS[name], value) ? value.toLowerCase() : '';
    }
    if (name in { from: 1, to: 1 } && !localDayStart(value)) {
      // Not a day of the calendar (2026-02-31): no filter, and none counted as active.
      value = '';
    }
    filters[name] = value;
  }
  const id = params.get('event') ?? '';
  const requested = params.get('view') ?? '';
  let view = 'timeline';
  if (requested === 'today' || requested === 'new' || requested === 'notifications') {
    view = requested;
  } else if (requested === 'edit' && id) {
    view = 'edit';
  } else if (id) {
    view = 'detail';
  }
  const notifications = view === 'notifications';
  return {
    view,
    id,
    related: params.get('related') ?? '',
    filters,
    channel: notifications ? (params.get('channel') ?? '') : '',
    delivery: notifications ? (params.get('state') ?? '').toLowerCase() : '',
  };
}

/** The URL of a state (relative to the page): the inverse of readState. */
export function urlOf({ view = 'timeline', id = '', related = '', filters = {}, channel = '', delivery = '' }) {
  const params = new URLSearchParams();
  if (view === 'today' || view === 'new' || view === 'edit' || view === 'notifications') {
    params.set('view', view);
  }
  if (view === 'notifications' && channel) {
    params.set('channel', channel);
    if (delivery) {
      params.set('state', delivery);
    }
  }
  if ((view === 'detail' || view === 'edit') && id) {
    params.set('event', id);
  }
  if (view === 'new' && related) {
    params.set('related', related);
  }
  if (view === 'timeline' || view === 'today') {
    for (const name of FILTER_NAMES) {
      if (filters[name]) {
        params.set(name, filters[name]);
      }
    }
  }
  const text = params.toString();
  return text ? `/?${text}` : '/';
}

/** Whether any filter is set. */
export function hasFilters(filters) {
  return FILTER_NAMES.some((name) => filters[name]);
}
