// The one HTTP client every service module uses: JSON over relative paths with the
// HttpOnly cookies (no token ever touches script storage), and silent refresh. When an access
// token has expired (401 `token_expired`, or `unauthenticated` once the browser has dropped
// the expired cookie), one `POST /user-service-api/auth/refresh` is shared by every caller
// waiting at that moment, then each retries once. A refresh that fails, or a session that
// ended elsewhere, is reported through `onSignedOut` so the app can send the user to log in.

import { ApiError, parseErrorBody } from './errors';

export const REFRESH_PATH = '/user-service-api/auth/refresh';

/** Why the user has no session: it ended (elsewhere, or a reused refresh token), it expired,
 * or the browser holds no session at all (a visitor, or cookies cleared by a log-out in
 * another tab). */
export type SignedOutReason = 'expired' | 'ended' | 'none';

export interface ClientOptions {
  fetch?: typeof fetch;
  onSignedOut?: (reason: SignedOutReason) => void;
}

export interface RequestOptions {
  body?: unknown;
  /** Auth endpoints (log in, sign up, refresh) must not trigger a refresh themselves. */
  refresh?: boolean;
  signal?: AbortSignal;
}

export interface Client {
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
  /** Refreshes now (shared with any refresh in flight); true when a new pair arrived. */
  refresh(): Promise<boolean>;
}

const EXPIRED = new Set(['token_expired', 'unauthenticated']);
const ENDED = new Set(['session_ended', 'refresh_token_reused']);

export function createClient(options: ClientOptions = {}): Client {
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const onSignedOut = options.onSignedOut ?? (() => {});
  let inFlight: Promise<RefreshOutcome> | null = null;

  async function send(method: string, path: string, opts: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const init: RequestInit = { method, headers, credentials: 'include' };
    if (opts.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(opts.body);
    }
    if (opts.signal) init.signal = opts.signal;
    try {
      return await doFetch(path, init);
    } catch (cause) {
      if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
      throw new ApiError(0, { code: 'network', message: String(cause) });
    }
  }

  function refreshShared(): Promise<RefreshOutcome> {
    if (!inFlight) {
      inFlight = refreshOnce().finally(() => {
        inFlight = null;
      });
    }
    return inFlight;
  }

  async function refreshOnce(): Promise<RefreshOutcome> {
    let response: Response;
    try {
      response = await send('POST', REFRESH_PATH, {});
    } catch {
      return { ok: false, reason: null };
    }
    if (response.ok) return { ok: true };
    if (response.status !== 401) return { ok: false, reason: null };
    const body = parseErrorBody(response.status, await response.text());
    if (ENDED.has(body.code)) return { ok: false, reason: 'ended' };
    return { ok: false, reason: body.code === 'unauthenticated' ? 'none' : 'expired' };
  }

  async function request<T>(method: string, path: string, opts: RequestOptions = {}) {
    const allowRefresh = opts.refresh ?? true;
    let response = await send(method, path, opts);
    if (response.status === 401) {
      const body = parseErrorBody(401, await response.text());
      if (ENDED.has(body.code)) {
        onSignedOut('ended');
        throw toError(response, body);
      }
      if (!allowRefresh || !EXPIRED.has(body.code)) throw toError(response, body);
      const outcome = await refreshShared();
      if (!outcome.ok) {
        // A network failure during refresh is not a sign-out: the session may be fine.
        if (outcome.reason) onSignedOut(outcome.reason);
        throw toError(response, body);
      }
      response = await send(method, path, opts);
      if (response.status === 401) {
        const again = parseErrorBody(401, await response.text());
        onSignedOut(ENDED.has(again.code) ? 'ended' : 'expired');
        throw toError(response, again);
      }
    }
    if (!response.ok) {
      throw toError(response, parseErrorBody(response.status, await response.text()));
    }
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async function refresh(): Promise<boolean> {
    const outcome = await refreshShared();
    return outcome.ok;
  }

  return { request, refresh };
}

type RefreshOutcome = { ok: true } | { ok: false; reason: SignedOutReason | null };

function toError(response: Response, body: ReturnType<typeof parseErrorBody>): ApiError {
  const header = response.headers.get('Retry-After');
  const retry = header !== null && /^\d+$/.test(header) ? Number(header) : null;
  return new ApiError(response.status, body, retry);
}

/** Builds `?a=1&b=x` from the defined, non-empty values, in the order given. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
