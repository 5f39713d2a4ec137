import { describe, expect, it } from 'vitest';
import {
  clock,
  initialState,
  isActive,
  joinFrame,
  parseServerMessage,
  reduce,
  shouldRejoin,
  MAX_REJOINS,
  waitView,
  type JoinRequest,
  type MatchState,
  type ServerMessage,
} from './machine';

const request: JoinRequest = {
  topics: ['graphs'],
  difficulty: 'medium',
  language: 'python',
  relaxDifficulty: true,
  relaxTopics: true,
};

const queued: ServerMessage = {
  type: 'queued',
  ticket_id: 't1',
  position: 1,
  waiting: 1,
  timeout_secs: 60,
  relax_difficulty_after_secs: 20,
  relax_topics_after_secs: 40,
};

const matched: ServerMessage = {
  type: 'matched',
  room_id: 'room-1',
  peer: { id: 'u2', username: 'dave' },
  question: { id: 'q1', slug: 'q', title: 'Q', difficulty: 'medium', topics: ['graphs'] },
  language: 'python',
};

function run(...actions: Parameters<typeof reduce>[1][]): MatchState {
  return actions.reduce(reduce, initialState);
}

const start = { type: 'start', request } as const;
const server = (message: ServerMessage, now = 1000) => ({ type: 'server', message, now }) as const;

describe('matching state machine', () => {
  it('start connects, queued waits, matched carries the room', () => {
    expect(run(start).kind).toBe('connecting');
    const waiting = run(start, server(queued, 5000));
    expect(waiting).toMatchObject({ kind: 'queued', wait: { since: 5000, timeoutSecs: 60 } });
    expect(run(start, server(queued), server(matched))).toEqual({
      kind: 'matched',
      room: {
        roomId: 'room-1',
        peer: { id: 'u2', username: 'dave' },
        question: matched.type === 'matched' ? matched.question : null,
        language: 'python',
      },
    });
  });

  it('a second queued (position update) keeps the original wait start', () => {
    const state = run(start, server(queued, 1000), server({ ...queued, position: 2 } as ServerMessage, 9000));
    expect(state).toMatchObject({ kind: 'queued', wait: { since: 1000, position: 2 } });
  });

  it('requeued keeps the place and says so', () => {
    const state = run(start, server(queued, 1000), server({ type: 'requeued', reason: 'no_question' }));
    expect(state).toMatchObject({ kind: 'queued', requeued: true, wait: { since: 1000 } });
  });

  it('timeout ends the wait with the request kept for try again', () => {
    expect(run(start, server(queued), server({ type: 'timeout' }))).toEqual({ kind: 'timedOut', request });
  });

  it('cancel then cancelled requested ends as cancelled', () => {
    const cancelling = run(start, server(queued), { type: 'cancel' });
    expect(cancelling.kind).toBe('cancelling');
    expect(isActive(cancelling)).toBe(true);
    expect(reduce(cancelling, server({ type: 'cancelled', reason: 'requested' }))).toEqual({
      kind: 'cancelled',
      request,
      reason: 'requested',
    });
  });

  it('a match that crosses the cancel still wins', () => {
    const state = run(start, server(queued), { type: 'cancel' }, server(matched));
    expect(state.kind).toBe('matched');
  });

  it('a queued arriving after cancel does not undo the cancel', () => {
    expect(run(start, { type: 'cancel' }, server(queued)).kind).toBe('cancelling');
  });

  it('replaced by another tab is its own ending', () => {
    const state = run(start, server(queued), server({ type: 'cancelled', reason: 'replaced' }));
    expect(state).toEqual({ kind: 'cancelled', request, reason: 'replaced' });
  });

  it('a server error becomes a sentence, not a code', () => {
    const state = run(start, server({ type: 'error', code: 'unavailable', message: 'queue down' }));
    expect(state).toMatchObject({ kind: 'failed', message: expect.stringMatching(/unavailable right now/) });
    expect(JSON.stringify(state)).not.toContain('queue down');
  });

  it('a lost connection fails; before open it says it could not connect', () => {
    expect(run(start, { type: 'closed', code: 1006, reason: '' })).toMatchObject({
      kind: 'failed',
      message: expect.stringMatching(/could not connect/),
      signedOut: false,
    });
    expect(run(start, server(queued), { type: 'closed', code: 1006, reason: '' })).toMatchObject({
      kind: 'failed',
      message: expect.stringMatching(/was lost/),
    });
  });

  it('a restart (1012) while waiting is answered by joining again, a few times, then told', () => {
    const waiting = run(start, server(queued));
    expect(shouldRejoin(waiting, 1012, 0)).toBe(true);
    expect(shouldRejoin(run(start), 1012, 0)).toBe(true);
    expect(shouldRejoin(waiting, 1012, MAX_REJOINS)).toBe(false);
    expect(run(start, server(queued), { type: 'closed', code: 1012, reason: '' })).toMatchObject({
      kind: 'failed',
      message: expect.stringMatching(/restarted/),
    });
    // Other closes, a cancel in flight and a final answer are not rejoined.
    expect(shouldRejoin(waiting, 1006, 0)).toBe(false);
    expect(shouldRejoin(run(start, server(queued), { type: 'cancel' }), 1012, 0)).toBe(false);
    expect(shouldRejoin(run(start, server(matched)), 1012, 0)).toBe(false);
  });

  it('the wait keeps its start across a rejoin: the new queued message does not reset the timer', () => {
    const first = run(start, server(queued, 1_000));
    const again = reduce(first, { type: 'server', message: queued, now: 9_000 });
    expect(again).toMatchObject({ kind: 'queued', wait: { since: 1_000 } });
  });

  it('a 1008 session-ended close signs the user out', () => {
    const state = run(start, server(queued), { type: 'closed', code: 1008, reason: 'your session has ended' });
    expect(state).toMatchObject({ kind: 'failed', signedOut: true });
  });

  it('a close while cancelling is the cancel completing', () => {
    const state = run(start, server(queued), { type: 'cancel' }, { type: 'closed', code: 1000, reason: '' });
    expect(state).toEqual({ kind: 'cancelled', request, reason: 'requested' });
  });

  it('final states ignore late frames and closes; start is ignored while active', () => {
    const done = run(start, server(queued), server({ type: 'timeout' }));
    expect(reduce(done, server(matched))).toBe(done);
    expect(reduce(done, { type: 'closed', code: 1006, reason: '' })).toBe(done);
    const active = run(start, server(queued));
    expect(reduce(active, start)).toBe(active);
    expect(reduce(active, { type: 'reset' })).toBe(active);
    expect(reduce(done, start).kind).toBe('connecting');
    expect(reduce(done, { type: 'reset' })).toEqual(initialState);
  });
});

describe('waitView: the timer and the relaxation as it happens', () => {
  const wait = {
    since: 0,
    position: 1,
    waiting: 1,
    timeoutSecs: 60,
    relaxDifficultyAfterSecs: 20,
    relaxTopicsAfterSecs: 40,
  };

  it('before any relaxation only the chosen difficulty and topics', () => {
    expect(waitView(request, wait, 19_999)).toEqual({
      elapsedSecs: 19,
      remainingSecs: 41,
      difficulties: ['medium'],
      anyTopic: false,
      relaxed: [],
    });
  });

  it('after relax_difficulty_after_secs the neighbours are added', () => {
    expect(waitView(request, wait, 20_000).relaxed).toEqual(['Now also matching easy and hard.']);
    expect(waitView({ ...request, difficulty: 'easy' }, wait, 25_000).relaxed).toEqual([
      'Now also matching medium.',
    ]);
  });

  it('after relax_topics_after_secs any topic', () => {
    const view = waitView(request, wait, 40_000);
    expect(view.anyTopic).toBe(true);
    expect(view.relaxed).toEqual(['Now also matching easy and hard.', 'Now matching any topic.']);
  });

  it('the relax flags turned off never widen', () => {
    const view = waitView({ ...request, relaxDifficulty: false, relaxTopics: false }, wait, 59_000);
    expect(view).toMatchObject({ difficulties: ['medium'], anyTopic: false, relaxed: [] });
  });

  it('remaining never goes below zero, and the clock reads m:ss', () => {
    expect(waitView(request, wait, 90_000).remainingSecs).toBe(0);
    expect(clock(7)).toBe('0:07');
    expect(clock(65)).toBe('1:05');
  });
});

describe('frames', () => {
  it('join carries the relax flags in the server names', () => {
    expect(JSON.parse(joinFrame(request))).toEqual({
      type: 'join',
      topics: ['graphs'],
      difficulty: 'medium',
      language: 'python',
      relax_difficulty: true,
      relax_topics: true,
    });
  });

  it('parses the documented messages and refuses anything else', () => {
    expect(parseServerMessage(JSON.stringify(queued))).toEqual(queued);
    expect(parseServerMessage('{"type":"cancelled","reason":"replaced"}')).toEqual({
      type: 'cancelled',
      reason: 'replaced',
    });
    // A search the user did not let widen says so with nulls.
    const fixed = { ...queued, relax_difficulty_after_secs: null, relax_topics_after_secs: null };
    expect(parseServerMessage(JSON.stringify(fixed))).toEqual(fixed);
    expect(parseServerMessage('not json')).toBeNull();
    expect(parseServerMessage('{"type":"queued"}')).toBeNull();
    expect(parseServerMessage('{"type":"cancelled","reason":"other"}')).toBeNull();
    expect(parseServerMessage('{"type":"surprise"}')).toBeNull();
    expect(parseServerMessage('null')).toBeNull();
  });
});
