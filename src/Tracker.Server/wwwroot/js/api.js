// Tracker's REST API (protos/tracker/event/v1alpha1/event_service.proto and channel_service.proto,
// GET /openapi.json):
// JSON in lowerCamelCase, enums by full name, errors as google.rpc.Status bodies.

import { apiKey, askForKey } from './auth.js';

const BASE = '/api/v1alpha1';
const BAD_REQUEST = 'type.googleapis.com/google.rpc.BadRequest';
const ERROR_INFO = 'type.googleapis.com/google.rpc.ErrorInfo';

/** gRPC codes the UI tells apart (google.rpc.Code). */
export const Codes = { INVALID_ARGUMENT: 3, NOT_FOUND: 5, PERMISSION_DENIED: 7, RESOURCE_EXHAUSTED: 8, ABORTED: 10, OUT_OF_RANGE: 11, UNAVAILABLE: 14, UNAUTHENTICATED: 16 };

/**
 * Whether a failed call may work when made again: the server was busy (RESOURCE_EXHAUSTED, 429;
 * UNAVAILABLE, 503; any 5xx) or did not answer (a network error, not an ApiError).
 */
export function isTransient(error) {
  return !(error instanceof ApiError) || error.code === Codes.RESOURCE_EXHAUSTED || error.code === Codes.UNAVAILABLE || error.httpStatus >= 500;
}

/** Resolves after ms milliseconds, or at once when signal is aborted. */
export function sleep(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

/** A google.rpc.Status answer: its code, message, field violations and ErrorInfo reason. */
export class ApiError extends Error {
  constructor(httpStatus, status) {
    super(status?.message || `The server answered HTTP ${httpStatus}.`);
    this.name = 'ApiError';
    this.httpStatus = httpStatus;
    this.code = status?.code ?? 0;
    const details = Array.isArray(status?.details) ? status.details : [];
    /** [{field: 'attributes.end_date', description: 'must not be before ...'}] */
    this.violations = details.filter((d) => d['@type'] === BAD_REQUEST).flatMap((d) => d.fieldViolations ?? []);
    this.reason = details.find((d) => d['@type'] === ERROR_INFO)?.reason ?? '';
  }
}

/** The query string of an object, skipping empty values: {pageSize: 50, q: ''} -> 'pageSize=50'. */
export function queryString(parameters) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters ?? {})) {
    if (value !== undefined && value !== null && value !== '') {
      search.set(name, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/**
 * Sends a request; on 401 asks for an API key and sends it again with the key. Resolves to the
 * Response when its status is 2xx, else throws an ApiError.
 */
async function send(method, path, { query, body, signal, accept = 'application/json' } = {}) {
  const url = BASE + path + queryString(query);
  for (let attempt = 0; ; attempt++) {
    const headers = { Accept: accept };
    const key = apiKey();
    if (key) {
      headers.Authorization = `Bearer ${key}`;
    }
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal, cache: 'no-store' });
    if (response.ok) {
      return response;
    }
    const error = new ApiError(response.status, await readStatus(response));
    if (response.status === 401 && attempt < 3 && !signal?.aborted) {
      // Rejects when the person cancels the dialog: the call then fails with the 401.
      try {
        await askForKey(key ? `The key was refused: ${error.message}` : error.message);
      } catch {
        throw error;
      }
      continue;
    }
    throw error;
  }
}

async function readStatus(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

async function json(method, path, options) {
  const response = await send(method, path, options);
  return response.json();
}

/** ListEvents: {filter, q, orderBy, pageSize, pageToken} -> {events, totalCount, nextPageToken}. */
export function listEvents(query, signal) {
  return json('GET', '/events/list', { query, signal });
}

/** TodayEvents: {timeZone, filter, q, orderBy, pageSize, pageToken}. */
export function todayEvents(query, signal) {
  return json('GET', '/events/today', { query, signal });
}

/** GetEvent; NOT_FOUND (404) when there is none. */
export function getEvent(id, signal) {
  return json('GET', `/event/${encodeURIComponent(id)}`, { signal });
}

/** CreateEvent: {title, attributes, links, requestId}. */
export function createEvent(body, signal) {
  return json('POST', '/event', { body, signal });
}

/** UpdateEvent: {id, etag, title, attributes, links, updateMask}. */
export function updateEvent(body, signal) {
  return json('PUT', '/event', { body, signal });
}

/** ListChannels: {} -> {channels: [{name, kind, url, emailTo, filter, changeTypes, disabled, health, ...}]}. */
export function listChannels(signal) {
  return json('GET', '/channels', { signal });
}

/** ListDeliveries: {pageSize, pageToken, state} -> {deliveries, nextPageToken}; NOT_FOUND for no such channel. */
export function listDeliveries(name, query, signal) {
  return json('GET', `/channels/${encodeURIComponent(name)}/deliveries`, { query, signal });
}

/** Redeliver: {deliveryId} or {afterChangeId} -> {redeliveredCount}. */
export function redeliver(name, body, signal) {
  return json('POST', `/channels/${encodeURIComponent(name)}:redeliver`, { body, signal });
}

/** SendTestMessage -> the test message (a Delivery) with its one attempt. */
export function sendTestMessage(name, signal) {
  return json('POST', `/channels/${encodeURIComponent(name)}:test`, { body: {}, signal });
}

/**
 * WatchEvents over REST: newline-delimited JSON, one change per line. Yields each change
 * message; throws an ApiError for a google.rpc.Status line (the stream's error) or a refused
 * request, and returns when the server ends the stream. Abort the signal to leave.
 * @param {{filter?: string, afterId?: string}} query
 * @param {AbortSignal} signal
 * @param {() => void} [onOpen] called once the server has accepted the watch
 */
export async function* watchEvents(query, signal, onOpen) {
  const response = await send('GET', '/events:watch', { query, signal, accept: 'application/x-ndjson, application/json' });
  onOpen?.();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        break;
      }
      buffer += value;
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line) {
          yield parseWatchLine(line);
        }
      }
    }
    if (buffer.trim()) {
      yield parseWatchLine(buffer.trim());
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

function parseWatchLine(line) {
  const message = JSON.parse(line);
  if (message.changeType === undefined && message.code !== undefined) {
    throw new ApiError(200, message);
  }
  return message;
}
