// Times and durations as people read them: in the browser's time zone, with the UTC time on hover.

import { h } from './dom.js';

let formats = null;

/**
 * The page's Intl formatters, made on first use rather than when the module loads: the first
 * formatter a page makes loads the locale's data (about 50 ms on a busy two-core machine), which
 * the first view spends while its first page of events is on the way (timeline.js).
 */
export function prepareFormats() {
  formats ??= {
    relative: new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }),
    clock: new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }),
    dateTime: new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' }),
    day: new Intl.DateTimeFormat(undefined, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }),
  };
  return formats;
}

/**
 * Whether a listing's totalCount is a lower bound: the server counts up to its limit
 * (Tracker:Search:CountLimit) and says so with totalCountRelation (README, "Searching").
 */
export function isLowerBound(page) {
  return page.totalCountRelation === 'TOTAL_COUNT_RELATION_AT_LEAST';
}

/**
 * A count in the locale's grouping, '1,234'; a lower bound gets a '+', '10,000+', and is never
 * less than `shown`, the events already on screen.
 */
export function countText(count, { atLeast = false, shown = 0 } = {}) {
  return atLeast ? `${Math.max(count, shown).toLocaleString()}+` : count.toLocaleString();
}

/** The browser's IANA time zone, e.g. Europe/Paris (what TodayEvents takes as time_zone). */
export function browserTimeZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** An event's time: start_date, or created_at where it has none (README, "Searching"). */
export function eventTime(event) {
  return new Date(event.attributes?.startDate ?? event.createdAt);
}

/** '2026-11-30 14:05:09 UTC'. */
export function utcText(date) {
  return date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/** '12 minutes ago', 'in 3 hours', 'yesterday'. */
export function relativeText(date, now = Date.now()) {
  const seconds = (date.getTime() - now) / 1000;
  const units = [
    ['year', 365 * 86400],
    ['month', 30 * 86400],
    ['week', 7 * 86400],
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
  ];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) {
      return prepareFormats().relative.format(Math.trunc(seconds / size), unit);
    }
  }
  return Math.abs(seconds) < 10 ? 'just now' : prepareFormats().relative.format(Math.trunc(seconds), 'second');
}

/** A <time> element with the local time as text and the UTC time as its title. */
export function timeElement(date, { style = 'datetime', className } = {}) {
  const { clock, dateTime } = prepareFormats();
  const text = style === 'clock' ? clock.format(date) : style === 'relative' ? relativeText(date) : dateTime.format(date);
  const element = h('time', { datetime: date.toISOString(), title: utcText(date), class: className }, text);
  if (style === 'relative') {
    element.dataset.relative = '';
  }
  return element;
}

/** Refreshes every relative time under a node ('12 minutes ago' becomes '13 minutes ago'). */
export function refreshRelativeTimes(root) {
  const now = Date.now();
  for (const element of root.querySelectorAll('time[data-relative]')) {
    element.textContent = relativeText(new Date(element.getAttribute('datetime')), now);
  }
}

/** The local calendar day of a date, as a key: '2026-11-30'. */
export function dayKey(date) {
  const pad = (n, width = 2) => String(n).padStart(width, '0');
  // Four digits for the year, so that keys sort as dates do (year 999 before 2030).
  return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** 'Today', 'Yesterday' or 'Monday, 30 November 2026', in the browser's zone. */
export function dayTitle(date, now = new Date()) {
  const key = dayKey(date);
  if (key === dayKey(now)) {
    return `Today, ${prepareFormats().day.format(date)}`;
  }
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  const { day } = prepareFormats();
  return key === dayKey(yesterday) ? `Yesterday, ${day.format(date)}` : day.format(date);
}

/** Seconds of a google.protobuf.Duration in JSON ('3600s', '1.5s'); null when absent. */
export function durationSeconds(duration) {
  if (typeof duration !== 'string' || !duration.endsWith('s')) {
    return null;
  }
  const seconds = Number(duration.slice(0, -1));
  return Number.isFinite(seconds) ? seconds : null;
}

/** '2 h 5 min', '45 s', '3 d 4 h'. */
export function durationText(seconds) {
  if (seconds === null) {
    return '';
  }
  let rest = Math.round(Math.abs(seconds));
  if (rest < 60) {
    return `${rest} s`;
  }
  const parts = [];
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['min', 60]]) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      parts.push(`${count} ${unit}`);
      rest -= count * size;
    }
  }
  return parts.slice(0, 2).join(' ');
}

/** Midnight starting a local calendar day given as 'YYYY-MM-DD', as a Date; null when invalid. */
export function localDayStart(text, addDays = 0) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text ?? '');
  if (!match) {
    return null;
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
  const date = new Date(year, month, day);
  // Date rolls 2026-13-45 over into 2027; a day that is not in the calendar is no day.
  if (date.getFullYear() !== year || date.getMonth() !== month || date.getDate() !== day) {
    return null;
  }
  date.setDate(day + addDays);
  return date;
}

/** A Date as the value of an <input type="datetime-local"> in the browser's zone. */
export function toLocalInput(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${dayKey(date)}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The value of an <input type="datetime-local"> (local time) as an RFC 3339 UTC string; '' when empty. */
export function fromLocalInput(value) {
  if (!value) {
    return '';
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}
