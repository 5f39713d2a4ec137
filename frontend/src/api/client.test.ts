// The refresh logic against a scripted `fetch` (the browser boundary): each test says what the
// services answer and checks what the client sent and reported.
import { describe, expect, it, vi } from 'vitest';
import { createClient, query, REFRESH_PATH, type SignedOutReason } from './client';
import { ApiError } from './errors';

type Handler = (path: string, init: RequestInit) => Response | Promise<Response>;

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

const err = (status: number, code: string) => json(status, { error: { code, message: code } });

function setup(handler: Handler) {
  const calls: { path: string; init: RequestInit }[] = [];
  const signedOut: SignedOutReason[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const path = String(input);
    calls.push({ path, init: init ?? {} });
    return handler(path, init ?? {});
  });
  const client = createClient({ fetch: fetchMock, onSignedOut: (r) => signedOut.push(r) });
  return { client, calls, signedOut };
}

describe('client', () => {
  it('sends JSON with the cookies and returns the parsed body', async () => {
    const { client, calls } = setup(() => json(200, { ok: 1 }));
    await expect(client.request('PATCH', '/x', { body: { a: 1 } })).resolves.toEqual({ ok: 1 });
    expect(calls[0]?.init.credentials).toBe('include');
    expect(calls[0]?.init.body).toBe('{"a":1}');
    expect((calls[0]?.init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
  });

  it('an expired token is refreshed once and the call retried', async () => {
    let fresh = false;
    const { client, calls, signedOut } = setup((path) => {
      if (path === REFRESH_PATH) {
        fresh = true;
        return json(200, { user: {} });
      }
      return fresh ? json(200, { me: true }) : err(401, 'token_expired');
    });
    await expect(client.request('GET', '/me')).resolves.toEqual({ me: true });
    expect(calls.map((c) => c.path)).toEqual(['/me', REFRESH_PATH, '/me']);
    expect(signedOut).toEqual([]);
  });

  it('concurrent callers share one refresh', async () => {
    let fresh = false;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { client, calls } = setup(async (path) => {
      if (path === REFRESH_PATH) {
        await gate;
        fresh = true;
        return json(200, {});
      }
      return fresh ? json(200, path) : err(401, 'unauthenticated');
    });
    const all = Promise.all([client.request('GET', '/a'), client.request('GET', '/b'), client.request('GET', '/c')]);
    await new Promise((r) => setTimeout(r, 10));
    release();
    await expect(all).resolves.toEqual(['/a', '/b', '/c']);
    expect(calls.filter((c) => c.path === REFRESH_PATH)).toHaveLength(1);
  });

  it('a failed refresh signs out and the caller gets the error', async () => {
    const { client, signedOut } = setup((path) =>
      path === REFRESH_PATH ? err(401, 'invalid_refresh_token') : err(401, 'token_expired'),
    );
    await expect(client.request('GET', '/me')).rejects.toMatchObject({ status: 401, code: 'token_expired' });
    expect(signedOut).toEqual(['expired']);
  });

  it('no refresh cookie at all is a visitor, not an expiry', async () => {
    const { client, signedOut } = setup(() => err(401, 'unauthenticated'));
    await expect(client.request('GET', '/me')).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(signedOut).toEqual(['none']);
  });

  it('a reused refresh token is reported as a session that ended', async () => {
    const { client, signedOut } = setup((path) =>
      path === REFRESH_PATH ? err(401, 'refresh_token_reused') : err(401, 'token_expired'),
    );
    await expect(client.request('GET', '/me')).rejects.toBeInstanceOf(ApiError);
    expect(signedOut).toEqual(['ended']);
  });

  it('session_ended signs out at once without trying to refresh', async () => {
    const { client, calls, signedOut } = setup(() => err(401, 'session_ended'));
    await expect(client.request('GET', '/me')).rejects.toMatchObject({ code: 'session_ended' });
    expect(calls.map((c) => c.path)).toEqual(['/me']);
    expect(signedOut).toEqual(['ended']);
  });

  it('retries only once: a second 401 after a good refresh signs out', async () => {
    const { client, calls, signedOut } = setup((path) =>
      path === REFRESH_PATH ? json(200, {}) : err(401, 'token_expired'),
    );
    await expect(client.request('GET', '/me')).rejects.toMatchObject({ status: 401 });
    expect(calls.map((c) => c.path)).toEqual(['/me', REFRESH_PATH, '/me']);
    expect(signedOut).toEqual(['expired']);
  });

  it('auth endpoints do not refresh: a wrong password is just an error', async () => {
    const { client, calls, signedOut } = setup(() => err(401, 'invalid_credentials'));
    const call = client.request('POST', '/login', { body: {}, refresh: false });
    await expect(call).rejects.toMatchObject({ code: 'invalid_credentials' });
    expect(calls).toHaveLength(1);
    expect(signedOut).toEqual([]);
  });

  it('a network failure during refresh is not a sign-out', async () => {
    const { client, signedOut } = setup((path) => {
      if (path === REFRESH_PATH) throw new TypeError('Failed to fetch');
      return err(401, 'token_expired');
    });
    await expect(client.request('GET', '/me')).rejects.toBeInstanceOf(ApiError);
    expect(signedOut).toEqual([]);
  });

  it('a network failure is an ApiError with code network; Retry-After is kept', async () => {
    const down = setup(() => {
      throw new TypeError('Failed to fetch');
    });
    await expect(down.client.request('GET', '/x')).rejects.toMatchObject({ status: 0, code: 'network' });
    const limited = setup(() => json(429, { error: { code: 'rate_limited', message: '' } }, { 'Retry-After': '7' }));
    await expect(limited.client.request('GET', '/x')).rejects.toMatchObject({ retryAfterSecs: 7 });
  });

  it('204 resolves to undefined', async () => {
    const { client } = setup(() => new Response(null, { status: 204 }));
    await expect(client.request('POST', '/logout')).resolves.toBeUndefined();
  });
});

describe('query', () => {
  it('keeps only the values given', () => {
    expect(query({ topic: 'arrays', difficulty: '', q: undefined, page: 2 })).toBe('?topic=arrays&page=2');
    expect(query({})).toBe('');
  });
});
