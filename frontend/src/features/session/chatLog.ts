// The chat's messages as the page keeps them, pure so every merge is tested without a socket.
// Messages are kept by their server `id` (a retry is answered with the stored message again,
// a reconnect with `?after=` may repeat nothing but a client must not rely on it), in id order.
// A message the user sent waits in `pending` under its `client_id` until the server's copy
// arrives; those still `sending` when the socket drops are sent again, same `client_id`.

import type { ChatMessage, ChatUser } from '../../api/chat';

export type { ChatMessage, ChatUser };

export interface PendingMessage {
  client_id: string;
  text: string;
  /** `sending` until answered; `failed` when the server refused it (not resent by itself). */
  state: 'sending' | 'failed';
  error?: string;
}

export interface ChatLog {
  messages: ChatMessage[];
  pending: PendingMessage[];
}

export const EMPTY_LOG: ChatLog = { messages: [], pending: [] };

/** The highest id held, for `?after=` on reconnect; null before any message. */
export function lastId(log: ChatLog): number | null {
  const last = log.messages[log.messages.length - 1];
  return last ? last.id : null;
}

/** Adds a stored message (once, in id order) and settles the pending one it answers. */
export function receive(log: ChatLog, message: ChatMessage): ChatLog {
  const pending = log.pending.filter((p) => p.client_id !== message.client_id);
  if (log.messages.some((m) => m.id === message.id)) {
    return pending.length === log.pending.length ? log : { ...log, pending };
  }
  const messages = [...log.messages];
  let at = messages.length;
  while (at > 0 && (messages[at - 1] as ChatMessage).id > message.id) at--;
  messages.splice(at, 0, message);
  return { messages, pending };
}

/** The user sent `text` as `clientId`: it waits until the server answers. */
export function send(log: ChatLog, clientId: string, text: string): ChatLog {
  return { ...log, pending: [...log.pending, { client_id: clientId, text, state: 'sending' }] };
}

/** A retry of a refused message: sending again, under the same client id. */
export function retry(log: ChatLog, clientId: string): ChatLog {
  return {
    ...log,
    pending: log.pending.map((p) =>
      p.client_id === clientId ? { client_id: p.client_id, text: p.text, state: 'sending' } : p,
    ),
  };
}

/** The user gave up on a refused message. */
export function discard(log: ChatLog, clientId: string): ChatLog {
  return { ...log, pending: log.pending.filter((p) => p.client_id !== clientId) };
}

/** An `error` frame naming a message. `unavailable` was not stored: it stays `sending` and
 * goes again on the next connection; anything else is a refusal the user sees. */
export function refused(log: ChatLog, clientId: string, code: string): ChatLog {
  if (code === 'unavailable') return log;
  const error = refusalSentence(code);
  return {
    ...log,
    pending: log.pending.map((p) => (p.client_id === clientId ? { ...p, state: 'failed', error } : p)),
  };
}

/** What to send again on a new connection: every message still waiting for its answer. */
export function toResend(log: ChatLog): PendingMessage[] {
  return log.pending.filter((p) => p.state === 'sending');
}

export function refusalSentence(code: string): string {
  switch (code) {
    case 'rate_limited':
      return 'Not sent: you are sending messages too fast. Wait a moment and retry.';
    case 'invalid_message':
      return 'Not sent: a message must be 1 to 2,000 characters, without control characters.';
    default:
      return 'Not sent. Retry in a moment.';
  }
}

/** Reads one server frame, or null for anything not of a known shape. */
export type ServerFrame =
  | { type: 'message'; message: ChatMessage }
  | { type: 'presence'; online: ChatUser[] }
  | { type: 'typing'; user: ChatUser }
  | { type: 'error'; code: string; clientId: string | null };

export function parseFrame(text: string): ServerFrame | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(value)) return null;
  switch (value.type) {
    case 'message':
      if (
        typeof value.id === 'number' &&
        typeof value.client_id === 'string' &&
        isUser(value.sender) &&
        typeof value.text === 'string' &&
        typeof value.sent_at === 'string'
      ) {
        const { id, client_id, sender, text: body, sent_at } = value;
        return { type: 'message', message: { id, client_id, sender, text: body, sent_at } };
      }
      return null;
    case 'presence':
      return Array.isArray(value.online) && value.online.every(isUser)
        ? { type: 'presence', online: value.online }
        : null;
    case 'typing':
      return isUser(value.user) ? { type: 'typing', user: value.user } : null;
    case 'error':
      return typeof value.code === 'string'
        ? { type: 'error', code: value.code, clientId: typeof value.client_id === 'string' ? value.client_id : null }
        : null;
    default:
      return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isUser(value: unknown): value is ChatUser {
  return isRecord(value) && typeof value.id === 'string' && typeof value.username === 'string';
}
