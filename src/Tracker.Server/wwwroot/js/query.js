// The filters of the page as the API's query language (README "Searching"): one AIP-160
// expression, the person's own `filter` first (in parentheses), then a restriction per field, ANDed.
// The same expression drives the list and the live stream, so both show the same events.

import { fullName } from './enums.js';
import { ENUM_FILTERS } from './urlstate.js';
import { localDayStart } from './format.js';

/** A quoted filter value: "pay*" stays a wildcard; quotes and backslashes are escaped. */
export function quote(text) {
  return `"${String(text).replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/**
 * The filter expression of the page's filters.
 * @param {object} filters from readState
 * @param {{dates?: boolean}} options dates: false leaves the date range out (TodayEvents brings its day)
 */
export function filterExpression(filters, { dates = true } = {}) {
  const terms = [];
  if (filters.service) {
    terms.push(`service=${quote(filters.service)}`);
  }
  for (const [name, kind] of Object.entries(ENUM_FILTERS)) {
    const value = fullName(kind, filters[name]);
    if (value) {
      terms.push(`${name}=${value}`);
    }
  }
  if (dates) {
    // The event time (start_date, else created_at) within the local days from..to.
    const from = localDayStart(filters.from);
    const to = localDayStart(filters.to, 1);
    if (from) {
      terms.push(`start_date>=${quote(from.toISOString())}`);
    }
    if (to) {
      terms.push(`start_date<${quote(to.toISOString())}`);
    }
  }
  const own = (filters.filter ?? '').trim();
  if (!own) {
    return terms.join(' AND ');
  }
  // In parentheses, so that the person's text keeps its meaning: `owner=` alone is an error, but
  // `owner= AND type=...` would read AND as the owner's value.
  return terms.length ? [`(${own})`, ...terms].join(' AND ') : own;
}

// Full text as the server matches it (README "Searching", `q`): words are runs of letters,
// numbers and marks, lower-cased, in Unicode normal form C; every word of q must start a word of
// the title or the message. The watch stream takes no q, so live events are checked here.
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

function words(text) {
  return (String(text ?? '').normalize('NFC').toLowerCase().match(WORD)) ?? [];
}

/** Whether an event matches a full-text query q. */
export function matchesText(event, q) {
  const wanted = words(q);
  if (wanted.length === 0) {
    return true;
  }
  const have = [...words(event.title), ...words(event.attributes?.message)];
  return wanted.every((word) => have.some((candidate) => candidate.startsWith(word)));
}
