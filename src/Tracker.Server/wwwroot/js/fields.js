// The event's fields as the server lists them (js/schema.js, made at start-up from the proto's
// descriptors and the server's list of filterable fields): the UI reads names, enum values and
// lists from there, and keeps only presentation (labels, symbols, hints, order) for the fields
// it shows in its own way.

import { ENUMS, FIELDS, LISTS } from './schema.js';

/** A proto name as words: 'stake_holders' -> 'Stake holders', 'IN_PROGRESS' -> 'In progress'. */
export function humanise(name) {
  const words = String(name).toLowerCase().replaceAll('_', ' ').replaceAll('.', ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A proto path as the JSON key path: 'attributes.stake_holders' -> ['attributes', 'stakeHolders']. */
export function jsonKeys(path) {
  return path.split('.').map((part) => part.replace(/_([a-z])/g, (_, letter) => letter.toUpperCase()));
}

/** The value at a proto path of an event as the API returns it (JSON), or undefined. */
export function valueAt(event, path) {
  return jsonKeys(path).reduce((object, key) => object?.[key], event);
}

/**
 * The event's lists of text (stake_holders, arguments, ...), each {name, path, label}, in the
 * proto's order; `except` leaves out the paths a view already shows in its own way.
 */
export function listFields(except = []) {
  return LISTS
    .filter((field) => !except.includes(field.path))
    .map((field) => ({ name: field.name, path: field.path, label: humanise(field.name) }));
}

/**
 * Every field a filter expression can name, in the server's order: {name, about}, about its kind
 * and, for an enum, its values ('enum: SEVERITY_NORMAL, SEVERITY_WARNING, ...').
 */
export const FILTER_FIELDS = FIELDS.map((field) => {
  const values = field.enum ? ENUMS[field.enum].values.filter((value) => value.number !== 0).map((value) => value.name) : [];
  const kind = field.kind === 'timestamp' ? 'time' : field.kind;
  return { name: field.name, about: `${kind}${field.many ? ', any element' : ''}${values.length ? `: ${values.join(', ')}` : ''}` };
});
