// Live changes from WatchEvents (GET /api/v1alpha1/events:watch, NDJSON), read with fetch and a
// ReadableStream: EventSource cannot send the Authorization header. A dropped stream is resumed
// from the last change_id received, so no change is lost or repeated (README "Watching events").

import { ApiError, Codes, isTransient, sleep, watchEvents } from './api.js';

const status = () => document.getElementById('live-status');

/** Shows the stream's state in the header: 'live', 'connecting', 'reconnecting', 'off'. */
export function showLiveState(state, text) {
  const element = status();
  if (!element) {
    return;
  }
  element.dataset.state = state;
  element.textContent = text ?? { live: 'Live', connecting: 'Connecting…', reconnecting: 'Reconnecting…', off: '' }[state] ?? '';
}

/**
 * Watches the changes of the events matching `filter` until `signal` is aborted.
 * @param {{filter?: string, afterId?: string, signal: AbortSignal,
 *          onChange: (message) => void, onOpen?: () => void,
 *          onExpired?: () => void, onStop?: (error) => void, showState?: boolean}} options
 *   onOpen: the server accepted the watch (changes from then on will come);
 *   onExpired: the position is no longer in the change log (OUT_OF_RANGE);
 *   onStop: the watch was refused for good (a bad filter, no permission).
 */
export async function watch({ filter = '', afterId = '', signal, onChange, onOpen, onExpired, onStop, showState = true }) {
  let position = afterId;
  let delay = 500;
  const state = (name, text) => showState && !signal.aborted && showLiveState(name, text);
  state('connecting');
  while (!signal.aborted) {
    try {
      for await (const message of watchEvents({ filter, afterId: position }, signal, () => {
        state('live');
        delay = 500;
        onOpen?.();
      })) {
        position = message.changeId || position;
        onChange(message);
      }
      // The server ended the stream without an error: start again from where it was.
    } catch (error) {
      if (signal.aborted) {
        return;
      }
      if (error instanceof ApiError) {
        if (error.code === Codes.OUT_OF_RANGE) {
          state('off');
          onExpired?.(error);
          return;
        }
        if (!isTransient(error)) {
          state('off', 'Live updates off');
          onStop?.(error);
          return;
        }
      }
      // A network error or a server going away: try again, backing off up to 10 s.
    }
    state('reconnecting');
    await sleep(delay, signal);
    delay = Math.min(delay * 2, 10_000);
  }
}
