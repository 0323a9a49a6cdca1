// The enums of the filterable fields, as the server serves them (js/schema.js, made from the
// proto's descriptors): the REST API names a value in full (TYPE_DEPLOYMENT); the UI shows a
// label, and URLs carry the short lower-case name (deployment). A value the server adds shows
// up with its name as words ('TYPE_CHAOS_TEST' -> 'Chaos test'); only the labels that read
// better than that, and the type's symbols, are written here.

import { humanise } from './fields.js';
import { ENUMS as SCHEMA_ENUMS, FIELDS } from './schema.js';

/** Labels where the value's name as words is not what people say. */
const LABELS = {
  TYPE_RPA_USAGE: 'Automation run',
  STATUS_START: 'Started',
  STATUS_CLOSE: 'Closed',
  STATUS_WAITING_APPROVAL: 'Waiting for approval',
  ENVIRONMENT_PREPRODUCTION: 'Pre-production',
  ENVIRONMENT_UAT: 'UAT',
  ENVIRONMENT_TNR: 'TNR',
  ENVIRONMENT_MCO: 'MCO',
};

/** Each type's symbol, drawn beside its label and colour; other types get a dot. */
const TYPE_ICONS = {
  TYPE_DEPLOYMENT: '▲',
  TYPE_OPERATION: '⚙',
  TYPE_DRIFT: '≈',
  TYPE_INCIDENT: '⚠',
  TYPE_RPA_USAGE: '↻',
};

/**
 * Each enum field's values, by field name (type, status, ...): its prefix and its values but
 * UNSPECIFIED as [full name, label], in the proto's order.
 */
export const ENUMS = Object.fromEntries(FIELDS.filter((field) => field.enum).map((field) => {
  const { prefix, values } = SCHEMA_ENUMS[field.enum];
  return [field.name, {
    prefix,
    values: values.filter((value) => value.number !== 0).map(({ name }) => [name, LABELS[name] ?? humanise(name.slice(prefix.length))]),
  }];
}));

/** Whether a value is set: the API writes UNSPECIFIED (or leaves the field out) when it is not. */
export function isSet(value) {
  return typeof value === 'string' && value.length > 0 && !value.endsWith('_UNSPECIFIED');
}

/** The label of an enum value ('STATUS_IN_PROGRESS' -> 'In progress'); '' when unset. */
export function label(kind, value) {
  if (!isSet(value)) {
    return '';
  }
  const found = ENUMS[kind].values.find(([name]) => name === value);
  return found ? found[1] : humanise(value.slice(ENUMS[kind].prefix.length));
}

/** The short name used in URLs: 'TYPE_RPA_USAGE' -> 'rpa_usage'. */
export function shortName(kind, value) {
  return isSet(value) ? value.slice(ENUMS[kind].prefix.length).toLowerCase() : '';
}

/** The full name of a short one, or '' when it names no value: 'rpa_usage' -> 'TYPE_RPA_USAGE'. */
export function fullName(kind, short) {
  if (!short) {
    return '';
  }
  const name = ENUMS[kind].prefix + short.toUpperCase();
  return ENUMS[kind].values.some(([value]) => value === name) ? name : '';
}

/** The type's symbol, drawn beside its label and colour, so colour is never the only cue. */
export function typeIcon(value) {
  return TYPE_ICONS[value] ?? '•';
}

/** A CSS class suffix for a value: 'STATUS_IN_PROGRESS' -> 'in-progress'. */
export function cssName(kind, value) {
  return isSet(value) ? shortName(kind, value).replaceAll('_', '-') : 'none';
}
