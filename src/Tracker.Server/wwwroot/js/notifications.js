// The Notifications view (/?view=notifications): the channels (ListChannels) with their health
// and a "Send test" button each, and the selected channel's delivery log (ListDeliveries, newest
// change first, 20 at a time) with a state filter and redelivery. Channels are created and
// changed through the REST API only (README "Notifications"); the page says how. Every name,
// target, filter and error is user input or comes from a receiver: all of it goes in as text.

import { ApiError, Codes, listChannels, listDeliveries, redeliver, sendTestMessage } from './api.js';
import { append, clear, h } from './dom.js';
import { humanise } from './fields.js';
import { durationSeconds, durationText, prepareFormats, refreshRelativeTimes, timeElement } from './format.js';
import { NOTIFICATION_ENUMS } from './schema.js';
import { urlOf } from './urlstate.js';

const PAGE_SIZE = 20;
const PACKAGE = 'tracker.event.v1alpha1.';
const CHANNEL_COLUMNS = ['Channel', 'Kind', 'Target', 'Routing', 'Change types', 'State', 'Last success', 'Last failure', 'Pending', 'Lag', 'Test'];
const DELIVERY_COLUMNS = ['Change', 'Event', 'State', 'Attempts', 'Last attempt', 'Next attempt', 'Created', 'Redeliver'];

/** An enum of NOTIFICATION_ENUMS by its short name ('DeliveryState'): {prefix, values}. */
function enumOf(name) {
  return NOTIFICATION_ENUMS[PACKAGE + name];
}

/** Its values but UNSPECIFIED, as [full name, short lower-case name, label], in the proto's order. */
function valuesOf(name) {
  const { prefix, values } = enumOf(name);
  return values.filter((value) => value.number !== 0).map(({ name: full }) => {
    const short = full.slice(prefix.length);
    return [full, short.toLowerCase(), humanise(short)];
  });
}

/** 'CHANNEL_KIND_SLACK' -> 'Slack'; '' when unset; a value the page does not know, in words. */
function valueLabel(name, value) {
  if (typeof value !== 'string' || value === '' || value.endsWith('_UNSPECIFIED')) {
    return '';
  }
  const { prefix } = enumOf(name);
  return humanise(value.startsWith(prefix) ? value.slice(prefix.length) : value);
}

/** The delivery state a URL names by short name ('failed'), in full; '' when it names none. */
function deliveryStateOf(short) {
  return valuesOf('DeliveryState').find(([, name]) => name === short)?.[0] ?? '';
}

/** A duration of the API ('0.012s', '90s') as people read it: '12 ms', '1.5 s', '1 min 30 s'. */
function shortDuration(duration) {
  const seconds = durationSeconds(duration);
  if (seconds === null) {
    return '';
  }
  if (seconds < 1) {
    return `${Math.round(seconds * 1000)} ms`;
  }
  return seconds < 60 ? `${Number(seconds.toFixed(1))} s` : durationText(seconds);
}

function when(value) {
  return value ? timeElement(new Date(value), { style: 'relative' }) : null;
}

/** What an attempt got: 'HTTP 503', 'SMTP 250', the error, and its latency. */
function attemptText(attempt, kind) {
  if (!attempt) {
    return '';
  }
  const code = attempt.statusCode ? `${kind === 'CHANNEL_KIND_EMAIL' ? 'SMTP' : 'HTTP'} ${attempt.statusCode}` : '';
  // The error often opens with the status itself ("HTTP 400"): said once.
  const said = code && attempt.error?.startsWith(code) ? [attempt.error] : [code, attempt.error];
  return [...said, shortDuration(attempt.latency)].filter(Boolean).join(' · ');
}

/** A person's reading of a failed call: the API's own message (google.rpc.Status). */
function problemText(error) {
  if (!(error instanceof ApiError)) {
    return `The server did not answer: ${error?.message ?? error}`;
  }
  return error.code === Codes.UNAUTHENTICATED ? `${error.message} Reload the page to enter an API key.` : error.message;
}

/**
 * Renders the notifications view into main.
 * @param {{channel: string, delivery: string}} state from readState: the selected channel and state filter
 * @param {{signal: AbortSignal, navigate: (url: string) => void}} context
 */
export async function renderNotifications(main, state, { signal, navigate }) {
  const channelsRequest = listChannels(signal);
  channelsRequest.catch(() => {}); // Read (and its failure shown) by loadChannels below.
  const stateFilter = deliveryStateOf(state.delivery);
  // Both lists are asked for at once; the log is shown once the channels are (it needs their kinds).
  const firstDeliveries = state.channel ? listDeliveries(state.channel, { pageSize: PAGE_SIZE, state: stateFilter }, signal) : null;
  firstDeliveries?.catch(() => {});

  const channelsProblem = h('div', { class: 'problem', role: 'alert', hidden: true });
  const channelsBox = h('div', { class: 'channels', 'aria-busy': 'true' });
  const testResult = h('p', { class: 'action-result', role: 'status', 'aria-live': 'polite' });
  const refreshButton = h('button', { type: 'button', class: 'secondary' }, 'Refresh');
  const createHint = creationHint();
  const deliveries = state.channel ? deliveryLog(state.channel, stateFilter, { signal, navigate }) : null;
  clear(main);
  append(main,
    h('div', { class: 'view-head' },
      h('h1', {}, 'Notifications'),
      h('p', { class: 'hint' }, 'Channels get the committed changes to events that are routed to them: a webhook, Slack or email. A channel with a filter gets every change whose event matches it; one without gets the events that name it in notifications with notification: true.'),
      h('div', { class: 'actions' }, refreshButton)),
    h('section', { class: 'channel-list', 'aria-labelledby': 'channels-title' },
      h('h2', { id: 'channels-title' }, 'Channels'),
      channelsProblem, channelsBox, testResult),
    createHint,
    deliveries?.section ?? h('p', { class: 'hint' }, 'Choose a channel to see its deliveries.'));

  let kinds = new Map();
  // Reads the channels again and shows them; the focus goes back to the button that had it
  // (a button loses the focus while it is disabled, so its caller names it).
  const loadChannels = async (request = listChannels(signal), focused = document.activeElement?.dataset?.focusKey) => {
    channelsBox.setAttribute('aria-busy', 'true');
    try {
      const { channels = [] } = await request;
      if (signal.aborted) {
        return;
      }
      channelsProblem.hidden = true;
      kinds = new Map(channels.map((channel) => [channel.name, channel.kind]));
      clear(channelsBox);
      append(channelsBox, channels.length === 0
        ? h('p', { class: 'summary' }, 'No channels yet.')
        : channelTable(channels, state.channel, sendTest));
      createHint.open ||= channels.length === 0;
      if (focused) {
        channelsBox.querySelector(`[data-focus-key="${CSS.escape(focused)}"]`)?.focus();
      }
    } catch (error) {
      if (!signal.aborted) {
        clear(channelsProblem);
        append(channelsProblem, h('p', {}, problemText(error)));
        channelsProblem.hidden = false;
      }
    } finally {
      channelsBox.setAttribute('aria-busy', 'false');
    }
  };

  // Sends one test message and says what became of it; the log and the health show it too.
  async function sendTest(name, button) {
    button.disabled = true;
    testResult.classList.remove('problem');
    testResult.textContent = `Sending a test message to ${name}…`;
    try {
      const delivery = await sendTestMessage(name, signal);
      if (signal.aborted) {
        return;
      }
      const attempt = delivery.attempts?.at(-1);
      const outcome = valueLabel('DeliveryState', delivery.state) || 'Sent';
      const detail = attemptText(attempt, kinds.get(name));
      testResult.classList.toggle('problem', delivery.state !== 'DELIVERY_STATE_DELIVERED');
      testResult.textContent = `Test message to ${name}: ${outcome}${detail ? ` (${detail})` : ''}.`;
    } catch (error) {
      if (signal.aborted) {
        return;
      }
      testResult.classList.add('problem');
      testResult.textContent = `The test message to ${name} was not sent: ${problemText(error)}`;
    } finally {
      button.disabled = false;
    }
    await loadChannels(undefined, button.dataset.focusKey);
    if (name === state.channel) {
      await deliveries?.reload();
    }
  }

  prepareFormats();
  await loadChannels(channelsRequest);
  if (deliveries) {
    deliveries.kindOf = () => kinds.get(state.channel);
    deliveries.afterAction = loadChannels;
    await deliveries.reload(firstDeliveries);
  }

  refreshButton.addEventListener('click', async () => {
    const hadFocus = document.activeElement === refreshButton;
    refreshButton.disabled = true;
    await Promise.all([loadChannels(), deliveries?.reload()]);
    refreshButton.disabled = false;
    if (hadFocus) {
      refreshButton.focus();
    }
  });
  const timer = setInterval(() => refreshRelativeTimes(main), 30_000);
  signal.addEventListener('abort', () => clearInterval(timer), { once: true });
}

/** A table whose rows become blocks on a narrow screen (app.css), each cell labelled by labelCells. */
function stackedTable(className, columns, body) {
  return h('table', { class: `stacked ${className}` },
    h('thead', {}, h('tr', {}, columns.map((name) => h('th', { scope: 'col' }, name)))),
    body);
}

/** Names each cell's column (data-label), shown before it where the header row is not. */
function labelCells(row, columns) {
  [...row.children].forEach((cell, index) => cell.setAttribute('data-label', columns[index]));
  return row;
}

/** The channels' table: one row each, with its health and a "Send test" button. */
function channelTable(channels, selected, sendTest) {
  return h('div', { class: 'table-wrap' },
    stackedTable('channels-table', CHANNEL_COLUMNS, h('tbody', {}, channels.map((channel) => channelRow(channel, channel.name === selected, sendTest)))));
}

function channelRow(channel, selected, sendTest) {
  const health = channel.health ?? {};
  const pending = Number(health.pendingMessages ?? 0);
  const lag = durationSeconds(health.lag);
  const types = (channel.changeTypes ?? []).map((type) => valueLabel('ChangeType', type)).filter(Boolean);
  const target = channel.url || (channel.emailTo ?? []).join(', ');
  const test = h('button', { type: 'button', class: 'secondary', 'data-focus-key': `test:${channel.name}`, 'aria-label': `Send test to ${channel.name}` }, 'Send test');
  test.addEventListener('click', () => sendTest(channel.name, test));
  return labelCells(h('tr', { 'data-channel': channel.name, class: selected ? 'selected' : null },
    h('th', { scope: 'row' },
      h('a', { href: urlOf({ view: 'notifications', channel: channel.name }), 'aria-current': selected ? 'true' : null, dir: 'auto' }, channel.name)),
    h('td', { class: 'kind' }, valueLabel('ChannelKind', channel.kind)),
    h('td', { class: 'target' }, target ? h('code', {}, target) : ''),
    h('td', { class: 'routing' }, channel.filter ? [h('span', { class: 'fact-label' }, 'Filter '), h('code', {}, channel.filter)] : 'By notifications'),
    h('td', { class: 'change-types' }, types.length ? types.join(', ') : 'All'),
    h('td', { class: 'channel-state' },
      channel.disabled
        ? [h('span', { class: 'badge state-off' }, 'Disabled'), channel.disabledReason ? h('p', { class: 'reason' }, channel.disabledReason) : null]
        : h('span', { class: 'badge state-on' }, 'Enabled')),
    h('td', { class: 'last-success' }, when(health.lastSuccessTime) ?? 'Never'),
    h('td', { class: 'last-failure' },
      health.lastFailureTime ? when(health.lastFailureTime) : 'Never',
      health.lastError ? h('p', { class: 'reason' }, health.lastError) : null,
      health.failingSince ? h('p', { class: 'hint' }, 'Failing since ', when(health.failingSince)) : null),
    h('td', { class: 'pending' }, pending.toLocaleString()),
    h('td', { class: 'lag' }, pending > 0 && lag !== null ? shortDuration(health.lag) : '–'),
    h('td', { class: 'row-actions' }, test)), CHANNEL_COLUMNS);
}

/** How to add a channel: the view is read-only, channels are made through REST. */
function creationHint() {
  const kinds = valuesOf('ChannelKind');
  const webhook = kinds.find(([full]) => full.endsWith('_WEBHOOK'))?.[0] ?? kinds[0]?.[0] ?? '';
  const body = JSON.stringify({ name: 'deploys', kind: webhook, url: 'https://ci.example.com/hooks/tracker', filter: 'type=TYPE_DEPLOYMENT AND environment=ENVIRONMENT_PRODUCTION' });
  const command = `curl -X POST '${window.location.origin}/api/v1alpha1/channels' \\\n  -H 'Authorization: Bearer <key>' -H 'Content-Type: application/json' \\\n  -d '${body}'`;
  return h('details', { class: 'create-hint' },
    h('summary', {}, 'Adding a channel'),
    h('p', {}, 'This page only shows channels. They are created, changed and deleted through the REST API (', h('code', {}, 'POST /api/v1alpha1/channels'), ', ', h('code', {}, 'PATCH'), ' and ', h('code', {}, 'DELETE /api/v1alpha1/channels/{name}'), ') with a key that has the ', h('code', {}, 'notifications:admin'), ' scope. For example, a webhook for every production deployment:'),
    h('pre', {}, h('code', {}, command)),
    h('p', { class: 'hint' }, 'kind is one of ', kinds.map(([full]) => full).join(', '), '; an email channel takes emailTo (a list of addresses) instead of url. Without a filter, a channel gets only the events that name it in notifications with notification: true. A webhook\'s signing secret is in the answer to the create call only. See ', h('a', { href: '/docs' }, 'the REST API'), ' and README, "Notifications".'));
}

/**
 * The delivery log of one channel: a state filter, the messages 20 at a time ("More"), and the
 * redelivery of one message or of every message after a change.
 * @returns {{section: HTMLElement, reload: (request?: Promise) => Promise<void>, kindOf: () => string, afterAction: () => Promise<void>}}
 */
function deliveryLog(name, stateFilter, { signal, navigate }) {
  const select = h('select', { id: 'd-state', name: 'state' },
    h('option', { value: '' }, 'Any'),
    valuesOf('DeliveryState').map(([full, short, text]) => h('option', { value: short, selected: full === stateFilter }, text)));
  const form = h('form', { class: 'delivery-filter', 'aria-label': 'Filter deliveries' },
    h('div', { class: 'field' }, h('label', { for: 'd-state' }, 'State'), select),
    h('button', { type: 'submit' }, 'Show'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    navigate(urlOf({ view: 'notifications', channel: name, delivery: select.value }));
  });
  const summary = h('p', { class: 'summary', role: 'status', 'aria-live': 'polite' }, 'Loading deliveries…');
  const problem = h('div', { class: 'problem', role: 'alert', hidden: true });
  const result = h('p', { class: 'action-result', role: 'status', 'aria-live': 'polite' });
  const rows = h('tbody', {});
  const table = h('div', { class: 'table-wrap', hidden: true }, stackedTable('deliveries-table', DELIVERY_COLUMNS, rows));
  const more = h('button', { type: 'button', class: 'load-more', hidden: true }, 'More');
  const section = h('section', { class: 'deliveries', 'aria-labelledby': 'deliveries-title' },
    h('h2', { id: 'deliveries-title' }, 'Deliveries to ', h('bdi', {}, name)),
    h('p', { class: 'hint' }, 'Newest change first. Each message keeps its id on every attempt and redelivery, so receivers can drop repeats.'),
    form, summary, problem, result, table, more);

  const log = { section, kindOf: () => '', afterAction: async () => {}, reload: (request) => load('', request, '') };
  let nextToken = '';
  let shown = 0;

  const showSummary = () => {
    const filtered = stateFilter ? ` ${valueLabel('DeliveryState', stateFilter).toLowerCase()}` : '';
    summary.textContent = shown === 0
      ? `No${filtered} messages${stateFilter ? '' : ' yet'}.`
      : `Showing ${shown.toLocaleString()}${filtered} message${shown === 1 ? '' : 's'}${nextToken ? '; there are more' : ''}.`;
  };

  // Reads a page (or takes the request already made for it); '' reads the first again, replacing
  // what is shown, and gives the focus back to the row's button named by `focused`.
  async function load(token, request = listDeliveries(name, { pageSize: PAGE_SIZE, pageToken: token, state: stateFilter }, signal), focused = '') {
    more.disabled = true;
    try {
      const page = await request;
      if (signal.aborted) {
        return;
      }
      problem.hidden = true;
      if (!token) {
        clear(rows);
        shown = 0;
      }
      const added = (page.deliveries ?? []).map((delivery) => deliveryRow(delivery, log.kindOf(), act));
      append(rows, added);
      shown += added.length;
      nextToken = page.nextPageToken ?? '';
      table.hidden = shown === 0;
      more.hidden = nextToken === '';
      showSummary();
      if (focused) {
        rows.querySelector(`[data-focus-key="${CSS.escape(focused)}"]`)?.focus();
      }
      if (token && added.length) {
        // "More" is hidden or was disabled: the focus moves to the first new row (its link or
        // button, or the row itself for a test message, which has neither).
        const first = added[0].querySelector('a, button') ?? added[0];
        if (first === added[0]) {
          first.setAttribute('tabindex', '-1');
        }
        first.focus();
      }
    } catch (error) {
      if (!signal.aborted) {
        summary.textContent = '';
        clear(problem);
        append(problem, h('p', {}, problemText(error)));
        problem.hidden = false;
      }
    } finally {
      more.disabled = false;
    }
  }

  // Redelivers (body {deliveryId} or {afterChangeId}) and shows how many messages went back.
  async function act(body, button) {
    button.disabled = true;
    result.classList.remove('problem');
    result.textContent = 'Redelivering…';
    try {
      const { redeliveredCount = 0 } = await redeliver(name, body, signal);
      if (signal.aborted) {
        return;
      }
      const count = Number(redeliveredCount);
      result.textContent = `${count.toLocaleString()} message${count === 1 ? '' : 's'} sent again.`;
    } catch (error) {
      if (signal.aborted) {
        return;
      }
      result.classList.add('problem');
      result.textContent = `Not redelivered: ${problemText(error)}`;
    } finally {
      button.disabled = false;
    }
    await Promise.all([load('', undefined, button.dataset.focusKey), log.afterAction()]);
  }

  more.addEventListener('click', () => load(nextToken));
  return log;
}

/** One message: its change, event, state, attempts, last attempt and the redelivery buttons. */
function deliveryRow(delivery, kind, act) {
  const attempts = delivery.attempts ?? [];
  const last = attempts.at(-1);
  const stateName = valueLabel('DeliveryState', delivery.state);
  const change = delivery.test
    ? h('span', { class: 'badge' }, 'Test message')
    : [h('code', {}, delivery.changeId ?? ''), ' ', h('span', { class: 'fact-label' }, valueLabel('ChangeType', delivery.changeType))];
  // A test message's event is an example, never stored: no link.
  const event = delivery.eventId
    ? (delivery.test ? h('code', {}, delivery.eventId) : h('a', { href: urlOf({ view: 'detail', id: delivery.eventId }) }, h('code', {}, delivery.eventId)))
    : '';
  const buttons = [];
  if (!delivery.test) {
    const one = h('button', { type: 'button', class: 'secondary', 'data-focus-key': `one:${delivery.id}`, 'aria-label': `Redeliver message ${delivery.id}` }, 'Redeliver');
    one.addEventListener('click', () => act({ deliveryId: delivery.id }, one));
    buttons.push(one);
    if (delivery.changeId) {
      const label = `Redeliver everything after change ${delivery.changeId}`;
      const after = h('button', { type: 'button', class: 'secondary', 'data-focus-key': `after:${delivery.id}`, 'aria-label': label, title: `${label} (not this one)` }, 'Redeliver everything after');
      after.addEventListener('click', () => {
        // Possibly many messages to a receiver: asked once more.
        if (window.confirm(`Send again every message to this channel whose change came after change ${delivery.changeId}?`)) {
          act({ afterChangeId: delivery.changeId }, after);
        }
      });
      buttons.push(after);
    }
  }
  return labelCells(h('tr', { 'data-id': delivery.id, 'data-state': delivery.state ?? '' },
    h('td', { class: 'change' }, change),
    h('td', { class: 'event-id' }, event),
    h('td', { class: 'delivery-state' }, h('span', { class: `badge delivery-${(stateName || 'none').toLowerCase()}` }, stateName || 'Unknown')),
    h('td', { class: 'attempt-count' }, attempts.length.toLocaleString()),
    h('td', { class: 'last-attempt' }, last ? [when(last.attemptTime), h('p', { class: 'reason' }, attemptText(last, kind))] : 'None yet'),
    h('td', { class: 'next-attempt' }, delivery.state === 'DELIVERY_STATE_PENDING' ? (when(delivery.nextAttemptTime) ?? 'Now') : '–'),
    h('td', { class: 'created' }, when(delivery.createTime)),
    h('td', { class: 'row-actions' }, buttons)), DELIVERY_COLUMNS);
}
