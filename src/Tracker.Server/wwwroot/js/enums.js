// The enums of protos/tracker/event/v1alpha1/event.proto: the REST API names them in full
// (TYPE_DEPLOYMENT); the UI shows a label, and URLs carry the short lower-case name (deployment).

const TYPES = [
  ['TYPE_DEPLOYMENT', 'Deployment', '▲'],
  ['TYPE_OPERATION', 'Operation', '⚙'],
  ['TYPE_DRIFT', 'Drift', '≈'],
  ['TYPE_INCIDENT', 'Incident', '⚠'],
  ['TYPE_RPA_USAGE', 'Automation run', '↻'],
];

/** Each enum: its prefix and its values as [full name, label]. */
export const ENUMS = {
  type: { prefix: 'TYPE_', values: TYPES.map(([name, label]) => [name, label]) },
  status: {
    prefix: 'STATUS_',
    values: [
      ['STATUS_START', 'Started'],
      ['STATUS_IN_PROGRESS', 'In progress'],
      ['STATUS_SUCCESS', 'Success'],
      ['STATUS_FAILURE', 'Failure'],
      ['STATUS_WARNING', 'Warning'],
      ['STATUS_ERROR', 'Error'],
      ['STATUS_OPEN', 'Open'],
      ['STATUS_CLOSE', 'Closed'],
      ['STATUS_DONE', 'Done'],
      ['STATUS_PLANNED', 'Planned'],
      ['STATUS_WAITING_APPROVAL', 'Waiting for approval'],
    ],
  },
  environment: {
    prefix: 'ENVIRONMENT_',
    values: [
      ['ENVIRONMENT_PRODUCTION', 'Production'],
      ['ENVIRONMENT_PREPRODUCTION', 'Pre-production'],
      ['ENVIRONMENT_RECETTE', 'Recette'],
      ['ENVIRONMENT_UAT', 'UAT'],
      ['ENVIRONMENT_TNR', 'TNR'],
      ['ENVIRONMENT_INTEGRATION', 'Integration'],
      ['ENVIRONMENT_DEVELOPMENT', 'Development'],
      ['ENVIRONMENT_MCO', 'MCO'],
    ],
  },
  priority: {
    prefix: 'PRIORITY_',
    values: [
      ['PRIORITY_P1', 'P1'],
      ['PRIORITY_P2', 'P2'],
      ['PRIORITY_P3', 'P3'],
      ['PRIORITY_P4', 'P4'],
      ['PRIORITY_P5', 'P5'],
    ],
  },
  severity: {
    prefix: 'SEVERITY_',
    values: [
      ['SEVERITY_NORMAL', 'Normal'],
      ['SEVERITY_WARNING', 'Warning'],
      ['SEVERITY_ERROR', 'Error'],
      ['SEVERITY_ALERT', 'Alert'],
    ],
  },
  impact: {
    prefix: 'IMPACT_',
    values: [
      ['IMPACT_LOW', 'Low'],
      ['IMPACT_MEDIUM', 'Medium'],
      ['IMPACT_HIGH', 'High'],
    ],
  },
};

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
  return found ? found[1] : value.slice(ENUMS[kind].prefix.length).toLowerCase();
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
  return TYPES.find(([name]) => name === value)?.[2] ?? '•';
}

/** A CSS class suffix for a value: 'STATUS_IN_PROGRESS' -> 'in-progress'. */
export function cssName(kind, value) {
  return isSet(value) ? shortName(kind, value).replaceAll('_', '-') : 'none';
}
