// The matching flow as a pure state machine: what the page shows for each message from the
// matching websocket, and what the wait looks like at any moment (timer, relaxation, time
// left). The hook in useMatching.ts owns the socket and feeds this reducer; nothing here
// touches the network or the clock, so every transition is tested as data.

import type { Difficulty } from '../../api/questions';

export interface JoinRequest {
  topics: string[];
  difficulty: Difficulty;
  language: string;
  relaxDifficulty: boolean;
  relaxTopics: boolean;
}

export interface MatchedRoom {
  roomId: string;
  peer: { id: string; username: string };
  question: { id: string; slug: string; title: string; difficulty: Difficulty; topics: string[] };
  language: string;
}

export type ServerMessage =
  | {
      type: 'queued';
      ticket_id: string;
      position: number;
      waiting: number;
      timeout_secs: number;
      /** null when the search never widens (the user turned it off). */
      relax_difficulty_after_secs: number | null;
      relax_topics_after_secs: number | null;
    }
  | {
      type: 'matched';
      room_id: string;
      peer: MatchedRoom['peer'];
      question: MatchedRoom['question'];
      language: string;
    }
  | { type: 'timeout' }
  | { type: 'cancelled'; reason: 'requested' | 'replaced' }
  | { type: 'requeued'; reason: string }
  | { type: 'error'; code: string; message: string }
  | { type: 'pong' };

export interface Waiting {
  /** When the first `queued` arrived (ms); a requeue keeps it, as the server keeps the place. */
  since: number;
  position: number;
  waiting: number;
  timeoutSecs: number;
  relaxDifficultyAfterSecs: number | null;
  relaxTopicsAfterSecs: number | null;
}

export type MatchState =
  | { kind: 'idle' }
  | { kind: 'connecting'; request: JoinRequest }
  | { kind: 'queued'; request: JoinRequest; wait: Waiting; requeued: boolean }
  | { kind: 'cancelling'; request: JoinRequest; wait: Waiting | null }
  | { kind: 'matched'; room: MatchedRoom }
  | { kind: 'timedOut'; request: JoinRequest }
  | { kind: 'cancelled'; request: JoinRequest; reason: 'requested' | 'replaced' }
  | { kind: 'failed'; request: JoinRequest | null; message: string; signedOut: boolean };

export type MatchAction =
  | { type: 'start'; request: JoinRequest }
  | { type: 'server'; message: ServerMessage; now: number }
  | { type: 'cancel' }
  | { type: 'closed'; code: number; reason: string }
  | { type: 'reset' };

export const initialState: MatchState = { kind: 'idle' };

export type ActiveState = Extract<MatchState, { kind: 'connecting' | 'queued' | 'cancelling' }>;

/** True while a websocket is needed: from start until a final answer. */
export function isActive(state: MatchState): state is ActiveState {
  return state.kind === 'connecting' || state.kind === 'queued' || state.kind === 'cancelling';
}

export function reduce(state: MatchState, action: MatchAction): MatchState {
  switch (action.type) {
    case 'start':
      return isActive(state) ? state : { kind: 'connecting', request: action.request };
    case 'reset':
      return isActive(state) ? state : initialState;
    case 'cancel':
      if (state.kind === 'connecting') return { kind: 'cancelling', request: state.request, wait: null };
      if (state.kind === 'queued') return { kind: 'cancelling', request: state.request, wait: state.wait };
      return state;
    case 'server':
      return onServer(state, action.message, action.now);
    case 'closed':
      return onClosed(state, action.code, action.reason);
  }
}

function onServer(state: MatchState, message: ServerMessage, now: number): MatchState {
  if (!isActive(state)) return state;
  const request = state.request;
  switch (message.type) {
    case 'queued': {
      if (state.kind === 'cancelling') return state;
      const since = state.kind === 'queued' ? state.wait.since : now;
      const wait: Waiting = {
        since,
        position: message.position,
        waiting: message.waiting,
        timeoutSecs: message.timeout_secs,
        relaxDifficultyAfterSecs: message.relax_difficulty_after_secs,
        relaxTopicsAfterSecs: message.relax_topics_after_secs,
      };
      return { kind: 'queued', request, wait, requeued: false };
    }
    case 'requeued':
      return state.kind === 'queued' ? { ...state, requeued: true } : state;
    case 'matched':
      // A match that crossed our cancel on the wire still stands: the room exists.
      return {
        kind: 'matched',
        room: {
          roomId: message.room_id,
          peer: message.peer,
          question: message.question,
          language: message.language,
        },
      };
    case 'timeout':
      return state.kind === 'cancelling'
        ? { kind: 'cancelled', request, reason: 'requested' }
        : { kind: 'timedOut', request };
    case 'cancelled':
      return { kind: 'cancelled', request, reason: message.reason };
    case 'error':
      return { kind: 'failed', request, message: serverErrorSentence(message.code), signedOut: false };
    case 'pong':
      return state;
  }
}

function onClosed(state: MatchState, code: number, reason: string): MatchState {
  if (!isActive(state)) return state;
  const request = state.request;
  if (state.kind === 'cancelling') return { kind: 'cancelled', request, reason: 'requested' };
  if (code === 1008 && /session/i.test(reason)) {
    return { kind: 'failed', request, message: 'You were signed out: your session ended.', signedOut: true };
  }
  const message =
    code === 1012
      ? 'The matching service restarted. Please try again.'
      : state.kind === 'connecting'
        ? 'We could not connect to matching. Check your connection and try again.'
        : 'The connection to matching was lost. Please try again.';
  return { kind: 'failed', request, message, signedOut: false };
}

/** How many times one search silently reconnects after a restart before it gives up. */
export const MAX_REJOINS = 3;

/**
 * Whether a close should be answered by opening a new socket and joining again, unseen: the
 * matching process was stopped (1012, a deploy or a restart) while the user was waiting, and
 * another process takes the search over. A join from the same account replaces the ticket the
 * stopped process held, so nobody waits twice. After MAX_REJOINS the user is told instead.
 */
export function shouldRejoin(state: MatchState, code: number, rejoinsSoFar: number): boolean {
  return code === 1012 && (state.kind === 'connecting' || state.kind === 'queued') && rejoinsSoFar < MAX_REJOINS;
}

export function serverErrorSentence(code: string): string {
  switch (code) {
    case 'unavailable':
      return 'Matching is unavailable right now. Please try again in a moment.';
    case 'no_question':
      return 'No question fits those topics and difficulty yet. Try other topics.';
    case 'rate_limited':
      return 'Too many requests at once. Please wait a moment and try again.';
    case 'already_queued':
      return 'You are already waiting for a match.';
    case 'invalid_message':
      return 'Those choices were not accepted. Please check them and try again.';
    default:
      return 'Something went wrong with matching. Please try again.';
  }
}

/** The frame the client sends to join. */
export function joinFrame(request: JoinRequest): string {
  return JSON.stringify({
    type: 'join',
    topics: request.topics,
    difficulty: request.difficulty,
    language: request.language,
    relax_difficulty: request.relaxDifficulty,
    relax_topics: request.relaxTopics,
  });
}

/** What the wait looks like `now` ms: elapsed and remaining seconds, and how far it widened. */
export interface WaitView {
  elapsedSecs: number;
  remainingSecs: number;
  difficulties: Difficulty[];
  anyTopic: boolean;
  /** Sentences for each widening that has happened, oldest first. */
  relaxed: string[];
}

const NEIGHBOURS: Record<Difficulty, Difficulty[]> = {
  easy: ['medium'],
  medium: ['easy', 'hard'],
  hard: ['medium'],
};

export function waitView(request: JoinRequest, wait: Waiting, now: number): WaitView {
  const elapsedSecs = Math.max(0, Math.floor((now - wait.since) / 1000));
  const remainingSecs = Math.max(0, wait.timeoutSecs - elapsedSecs);
  const difficulties: Difficulty[] = [request.difficulty];
  const relaxed: string[] = [];
  if (
    request.relaxDifficulty &&
    wait.relaxDifficultyAfterSecs !== null &&
    elapsedSecs >= wait.relaxDifficultyAfterSecs
  ) {
    const extra = NEIGHBOURS[request.difficulty];
    difficulties.push(...extra);
    relaxed.push(`Now also matching ${extra.join(' and ')}.`);
  }
  const anyTopic =
    request.relaxTopics && wait.relaxTopicsAfterSecs !== null && elapsedSecs >= wait.relaxTopicsAfterSecs;
  if (anyTopic) relaxed.push('Now matching any topic.');
  return { elapsedSecs, remainingSecs, difficulties, anyTopic, relaxed };
}

/** "0:07", "1:05". */
export function clock(secs: number): string {
  const minutes = Math.floor(secs / 60);
  const seconds = secs % 60;
  return `${minutes}:${seconds.toString().padStart(2, '0')}`;
}

/** Reads one frame from the server; null for anything not of the documented shapes. */
export function parseServerMessage(text: string): ServerMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'queued':
      return ['position', 'waiting', 'timeout_secs'].every((k) => typeof m[k] === 'number') &&
        ['relax_difficulty_after_secs', 'relax_topics_after_secs'].every(
          (k) => typeof m[k] === 'number' || m[k] === null,
        )
        ? (m as unknown as ServerMessage)
        : null;
    case 'matched':
      return typeof m.room_id === 'string' && typeof m.peer === 'object' && typeof m.question === 'object'
        ? (m as unknown as ServerMessage)
        : null;
    case 'cancelled':
      return m.reason === 'requested' || m.reason === 'replaced' ? (m as unknown as ServerMessage) : null;
    case 'error':
      return typeof m.code === 'string' ? (m as unknown as ServerMessage) : null;
    case 'timeout':
    case 'requeued':
    case 'pong':
      return m as unknown as ServerMessage;
    default:
      return null;
  }
}
