// The form for the events people record by hand (maintenance windows, incidents): create, and
// update with the fields that changed. The server validates; each of its field violations
// (google.rpc.BadRequest, proto paths such as attributes.end_date) is shown under its field.

import { ApiError, Codes, createEvent, getEvent, updateEvent } from './api.js';
import { append, clear, h } from './dom.js';
import { ENUMS } from './enums.js';
import { jsonKeys, listFields, valueAt } from './fields.js';
import { fromLocalInput, toLocalInput } from './format.js';
import { urlOf } from './urlstate.js';

/**
 * The fields the form shows in its own way, by proto path. kind: text, long (textarea), enum,
 * datetime, list (comma-separated), lines (one element per line), labels (key=value lines),
 * bool. The order is the form's.
 */
const SHOWN = [
  { path: 'title', label: 'Title', required: true, hint: 'What happened, in a line (at most 500 characters).' },
  { path: 'attributes.type', label: 'Type', kind: 'enum', enum: 'type', required: true },
  { path: 'attributes.service', label: 'Service', required: true, hint: 'The service or component concerned.' },
  { path: 'attributes.status', label: 'Status', kind: 'enum', enum: 'status' },
  { path: 'attributes.environment', label: 'Environment', kind: 'enum', enum: 'environment' },
  { path: 'attributes.priority', label: 'Priority', kind: 'enum', enum: 'priority' },
  { path: 'attributes.severity', label: 'Severity', kind: 'enum', enum: 'severity' },
  { path: 'attributes.impact', label: 'Impact', kind: 'enum', enum: 'impact' },
  { path: 'attributes.start_date', label: 'Start', kind: 'datetime', hint: 'In your time zone.' },
  { path: 'attributes.end_date', label: 'End', kind: 'datetime', hint: 'In your time zone; not before the start.' },
  { path: 'attributes.message', label: 'Message', kind: 'long', wide: true },
  { path: 'attributes.owner', label: 'Owner', hint: 'The team or person responsible.' },
  { path: 'attributes.stake_holders', label: 'Stake holders', kind: 'list', hint: 'Teams affected, separated by commas.' },
  { path: 'links.pull_request_link', label: 'Pull request', kind: 'url', hint: 'An http(s) URL.' },
  { path: 'links.ticket', label: 'Ticket', hint: 'e.g. OPS-1234.' },
  { path: 'attributes.related_id', label: 'Related event', hint: 'The id of the event this one follows.' },
  { path: 'attributes.source', label: 'Source', hint: 'Where it comes from, e.g. manual.' },
  { path: 'attributes.labels', label: 'Labels', kind: 'labels', wide: true, hint: 'One key=value per line; a line break in a value is written \\n, a backslash \\\\.' },
  { path: 'attributes.notification', label: 'Send notifications', kind: 'bool' },
  { path: 'attributes.notifications', label: 'Notification channels', kind: 'list', hint: 'e.g. slack, email.' },
];

/**
 * The form's fields: those above, and every other list of text the server has (arguments, ...),
 * one element per line, before the labels.
 */
const FIELDS = (() => {
  const lists = listFields(SHOWN.map((field) => field.path)).map(({ path, label }) => ({
    path,
    label,
    kind: 'lines',
    wide: true,
    hint: 'One per line, in order; a line break in one is written \\n, a backslash \\\\.',
  }));
  const labels = SHOWN.findIndex((field) => field.kind === 'labels');
  return [...SHOWN.slice(0, labels), ...lists, ...SHOWN.slice(labels)];
})();

const inputId = (field) => `e-${field.path.replaceAll('.', '-').replaceAll('_', '-')}`;

/** Renders the create form (state.view 'new') or the update form ('edit') into main. */
export async function renderEditor(main, state, { signal, navigate, flash }) {
  let event = null;
  if (state.view === 'edit') {
    try {
      event = await getEvent(state.id, signal);
    } catch (error) {
      if (!signal.aborted) {
        clear(main);
        append(main, h('h1', {}, 'The event could not be loaded'), h('p', { class: 'problem', role: 'alert' }, error.message));
      }
      return;
    }
  }
  if (signal.aborted) {
    return;
  }

  const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1', hidden: true });
  const form = h('form', { class: 'editor', novalidate: true, 'aria-describedby': 'editor-help' });
  const controls = new Map(FIELDS.map((field) => [field.path, control(field)]));
  append(form,
    h('p', { id: 'editor-help', class: 'hint' }, 'Fields marked * are required. The server checks the rest and says what is wrong next to each field.'),
    summary,
    h('div', { class: 'form-grid' }, FIELDS.map((field) => controls.get(field.path).wrapper)),
    h('div', { class: 'actions' },
      h('button', { type: 'submit' }, event ? 'Save changes' : 'Create event'),
      h('a', { class: 'button secondary', href: event ? urlOf({ view: 'detail', id: event.id }) : '/' }, 'Cancel')));
  clear(main);
  append(main,
    h('div', { class: 'view-head' },
      event ? h('p', { class: 'crumbs' }, h('a', { href: urlOf({ view: 'detail', id: event.id }) }, event.title), ' › Edit') : null,
      h('h1', {}, event ? 'Edit event' : 'New event')),
    form);

  const initial = event ? valuesOf(event) : {};
  if (!event) {
    initial['attributes.source'] = 'manual';
    initial['attributes.related_id'] = state.related;
    initial['attributes.start_date'] = toLocalInput(new Date());
  }
  for (const [path, { set }] of controls) {
    set(initial[path] ?? '');
  }
  const original = event ? readForm(controls) : null;
  // A create sent again after a lost answer is recognised by its request_id (CreateEvent is idempotent).
  const requestId = randomId();

  form.addEventListener('submit', async (submitEvent) => {
    submitEvent.preventDefault();
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    showErrors(controls, summary, []);
    try {
      const values = readForm(controls);
      if (event && FIELDS.every((f) => values[f.path] === original[f.path])) {
        // Nothing to save: an empty update_mask would still make a new version of the event.
        flash('Nothing was changed.');
        navigate(urlOf({ view: 'detail', id: event.id }));
        return;
      }
      const saved = event
        ? await updateEvent(updateRequest(event, original, values), signal)
        : await createEvent({ ...requestBody(values, FIELDS.map((f) => f.path), false), requestId }, signal);
      flash(event ? 'Changes saved.' : 'Event recorded.');
      navigate(urlOf({ view: 'detail', id: saved.id }));
    } catch (error) {
      if (signal.aborted) {
        return;
      }
      showErrors(controls, summary, problemsOf(error));
      summary.focus();
    } finally {
      button.disabled = false;
    }
  });
}

/** A field's label, input and error line; get/set read and write its form value. */
function control(field) {
  const id = inputId(field);
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const described = [field.hint ? hintId : null, errorId].filter(Boolean).join(' ');
  let input;
  switch (field.kind) {
    case 'enum':
      input = h('select', { id, name: field.path, 'aria-describedby': described, 'aria-required': field.required ? 'true' : null },
        h('option', { value: '' }, field.required ? 'Choose…' : '(none)'),
        ENUMS[field.enum].values.map(([name, text]) => h('option', { value: name }, text)));
      break;
    case 'long':
    case 'labels':
    case 'lines':
      input = h('textarea', { id, name: field.path, rows: field.kind === 'long' ? 5 : 3, 'aria-describedby': described, spellcheck: field.kind === 'long' ? null : 'false' });
      break;
    case 'bool':
      input = h('input', { id, name: field.path, type: 'checkbox', 'aria-describedby': described });
      break;
    default:
      input = h('input', {
        id,
        name: field.path,
        type: field.kind === 'datetime' ? 'datetime-local' : field.kind === 'url' ? 'url' : 'text',
        autocomplete: 'off',
        'aria-describedby': described,
        'aria-required': field.required ? 'true' : null,
      });
  }
  const error = h('p', { id: errorId, class: 'field-error', hidden: true });
  const labelElement = h('label', { for: id }, field.label, field.required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null);
  const wrapper = h('div', { class: `field${field.wide ? ' wide' : ''}${field.kind === 'bool' ? ' check' : ''}`, 'data-path': field.path },
    field.kind === 'bool' ? [input, ' ', labelElement] : [labelElement, input],
    field.hint ? h('p', { id: hintId, class: 'hint' }, field.hint) : null,
    error);
  return {
    field,
    wrapper,
    input,
    error,
    get: () => (field.kind === 'bool' ? input.checked : input.value),
    set: (value) => {
      if (field.kind === 'bool') {
        input.checked = value === true;
      } else {
        input.value = value ?? '';
      }
    },
  };
}

/** An event's values as the form holds them, by proto path. */
function valuesOf(event) {
  const values = {};
  for (const field of FIELDS) {
    let value = valueAt(event, field.path);
    switch (field.kind) {
      case 'enum':
        value = value && !value.endsWith('_UNSPECIFIED') ? value : '';
        break;
      case 'datetime':
        value = value ? toLocalInput(new Date(value)) : '';
        break;
      case 'list':
        value = (value ?? []).join(', ');
        break;
      case 'lines':
        value = (value ?? []).map(escapeLine).join('\n');
        break;
      case 'labels':
        value = Object.entries(value ?? {}).map(([key, text]) => `${key}=${escapeLine(text)}`).join('\n');
        break;
      case 'bool':
        value = value === true;
        break;
      default:
        value = value ?? '';
    }
    values[field.path] = value;
  }
  return values;
}

function readForm(controls) {
  const values = {};
  for (const [path, { get }] of controls) {
    values[path] = get();
  }
  return values;
}

// A value on one line of the labels or a lines field: its line breaks as \n, its backslashes as
// \\, so that a value with a line break (the API takes one) is saved as it was, not split in two.
function escapeLine(text) {
  return String(text).replaceAll('\\', '\\\\').replaceAll('\r', '\\r').replaceAll('\n', '\\n');
}

function unescapeLine(text) {
  return text.replace(/\\([\\nr])/g, (_, c) => ({ n: '\n', r: '\r', '\\': '\\' })[c]);
}

/** The API value of a form value; undefined for an empty one (the field is left out). */
function apiValue(field, value) {
  switch (field.kind) {
    case 'bool':
      return value;
    case 'datetime':
      return fromLocalInput(value) || undefined;
    case 'list': {
      const items = value.split(',').map((item) => item.trim()).filter(Boolean);
      return items.length ? items : undefined;
    }
    case 'lines': {
      const items = value.split('\n').map((line) => line.trim()).filter(Boolean).map(unescapeLine);
      return items.length ? items : undefined;
    }
    case 'labels': {
      const labels = {};
      for (const line of value.split('\n').map((text) => text.trim()).filter(Boolean)) {
        const equals = line.indexOf('=');
        labels[(equals < 0 ? line : line.slice(0, equals)).trim()] = equals < 0 ? '' : unescapeLine(line.slice(equals + 1).trim());
      }
      return Object.keys(labels).length ? labels : undefined;
    }
    default: {
      const text = value.trim();
      return text || undefined;
    }
  }
}

/** A request body with the given paths' values (JSON names), nested as the API wants them. */
function requestBody(values, paths, keepFalse) {
  const body = {};
  for (const path of paths) {
    const field = FIELDS.find((f) => f.path === path);
    const value = apiValue(field, values[path]);
    if (value === undefined || (value === false && !keepFalse)) {
      continue;
    }
    const keys = jsonKeys(path);
    let target = body;
    for (const key of keys.slice(0, -1)) {
      target = target[key] ??= {};
    }
    target[keys.at(-1)] = value;
  }
  return body;
}

/**
 * An UpdateEvent request for the fields the person changed: their paths in update_mask (AIP-134),
 * so that a field emptied in the form is cleared, and the etag, so that a change made meanwhile
 * by someone else is not overwritten (ABORTED).
 */
function updateRequest(event, original, values) {
  const changed = FIELDS.map((f) => f.path).filter((path) => values[path] !== original[path]);
  return {
    ...requestBody(values, changed, true),
    id: event.id,
    etag: event.etag,
    // FieldMask in JSON: lowerCamelCase paths, comma-separated.
    updateMask: changed.map((path) => jsonKeys(path).join('.')).join(','),
  };
}

/** The problems of a failed save: [{path, message}], path '' for the form as a whole. */
function problemsOf(error) {
  if (!(error instanceof ApiError)) {
    return [{ path: '', message: 'The server could not be reached; nothing was saved.' }];
  }
  if (error.code === Codes.ABORTED) {
    return [{ path: '', message: 'Someone changed this event since this form was opened; nothing was saved. Reload the page to see their change.' }];
  }
  if (error.violations.length === 0) {
    return [{ path: '', message: error.message }];
  }
  return error.violations.map((violation) => ({ path: violation.field ?? '', message: violation.description ?? '' }));
}

/** Puts each problem under the field its path names (the longest field path it starts with). */
function showErrors(controls, summary, problems) {
  for (const { input, error } of controls.values()) {
    error.hidden = true;
    error.textContent = '';
    input.removeAttribute('aria-invalid');
  }
  clear(summary);
  summary.hidden = problems.length === 0;
  if (problems.length === 0) {
    return;
  }
  const items = [];
  for (const problem of problems) {
    const owner = [...controls.values()]
      .filter(({ field }) => problem.path === field.path || problem.path.startsWith(`${field.path}.`) || problem.path.startsWith(`${field.path}[`))
      .sort((a, b) => b.field.path.length - a.field.path.length)[0];
    if (owner) {
      owner.error.textContent = owner.error.textContent ? `${owner.error.textContent} ${owner.field.label} ${problem.message}.` : `${owner.field.label} ${problem.message}.`;
      owner.error.hidden = false;
      owner.input.setAttribute('aria-invalid', 'true');
      const link = h('a', { href: `#${owner.input.id}` }, `${owner.field.label} ${problem.message}`);
      link.addEventListener('click', (click) => {
        click.preventDefault();
        owner.input.focus();
      });
      items.push(h('li', {}, link));
    } else {
      items.push(h('li', {}, problem.path ? `${problem.path} ${problem.message}` : problem.message));
    }
  }
  append(summary, h('h2', {}, problems.length === 1 ? 'The event was not saved: 1 problem' : `The event was not saved: ${problems.length} problems`), h('ul', {}, items));
}

/** A random request id; crypto.randomUUID needs a secure context, getRandomValues does not. */
function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
