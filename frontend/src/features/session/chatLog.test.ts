import { describe, expect, it } from 'vitest';
import {
  EMPTY_LOG,
  discard,
  lastId,
  parseFrame,
  receive,
  refused,
  retry,
  send,
  toResend,
  type ChatMessage,
} from './chatLog';

const carol = { id: 'u-carol', username: 'carol' };
const dave = { id: 'u-dave', username: 'dave' };

function msg(id: number, clientId: string, sender = carol, text = `text ${id}`): ChatMessage {
  return { id, client_id: clientId, sender, text, sent_at: '2026-11-26T17:00:00Z' };
}

describe('chat log', () => {
  it('keeps messages by id, in id order, once each', () => {
    let log = receive(EMPTY_LOG, msg(2, 'b'));
    log = receive(log, msg(1, 'a'));
    log = receive(log, msg(3, 'c'));
    const again = receive(log, msg(2, 'b'));
    expect(again).toBe(log);
    expect(log.messages.map((m) => m.id)).toEqual([1, 2, 3]);
    expect(lastId(log)).toBe(3);
    expect(lastId(EMPTY_LOG)).toBeNull();
  });

  it('settles a pending message when its stored copy arrives, even as a repeat', () => {
    let log = send(EMPTY_LOG, 'mine-1', 'hello');
    log = send(log, 'mine-2', 'again');
    expect(toResend(log).map((p) => p.client_id)).toEqual(['mine-1', 'mine-2']);
    log = receive(log, msg(7, 'mine-1', carol, 'hello'));
    expect(log.pending.map((p) => p.client_id)).toEqual(['mine-2']);
    // A retry answered with a message we already hold still settles the pending one.
    log = send(log, 'mine-1', 'hello');
    log = receive(log, msg(7, 'mine-1', carol, 'hello'));
    expect(log.messages).toHaveLength(1);
    expect(log.pending.map((p) => p.client_id)).toEqual(['mine-2']);
  });

  it('resends unavailable messages but not refused ones, until the user retries', () => {
    let log = send(send(EMPTY_LOG, 'x', 'one'), 'y', 'two');
    log = refused(log, 'x', 'unavailable');
    log = refused(log, 'y', 'rate_limited');
    expect(toResend(log).map((p) => p.client_id)).toEqual(['x']);
    const failed = log.pending.find((p) => p.client_id === 'y');
    expect(failed?.state).toBe('failed');
    expect(failed?.error).toMatch(/too fast/);
    log = retry(log, 'y');
    expect(toResend(log).map((p) => p.client_id)).toEqual(['x', 'y']);
    log = discard(log, 'x');
    expect(log.pending.map((p) => p.client_id)).toEqual(['y']);
  });

  it('reads the server frames and rejects malformed ones', () => {
    expect(parseFrame(JSON.stringify({ type: 'message', ...msg(1, 'a', dave) }))).toEqual({
      type: 'message',
      message: msg(1, 'a', dave),
    });
    expect(
      parseFrame(JSON.stringify({ type: 'presence', event: 'joined', user: dave, online: [carol, dave] })),
    ).toEqual({ type: 'presence', online: [carol, dave] });
    expect(parseFrame(JSON.stringify({ type: 'typing', user: dave }))).toEqual({ type: 'typing', user: dave });
    expect(parseFrame(JSON.stringify({ type: 'error', code: 'rate_limited', client_id: 'a' }))).toEqual({
      type: 'error',
      code: 'rate_limited',
      clientId: 'a',
    });
    expect(parseFrame('not json')).toBeNull();
    expect(parseFrame(JSON.stringify({ type: 'message', id: '1' }))).toBeNull();
    expect(parseFrame(JSON.stringify({ type: 'presence', online: [{ id: 1 }] }))).toBeNull();
    expect(parseFrame(JSON.stringify([1]))).toBeNull();
  });
});
