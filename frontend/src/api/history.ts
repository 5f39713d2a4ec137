// The history service: the signed-in user's attempts and their statistics. These calls need
// the user's session, so they keep the client's silent refresh.
import { api } from './index';
import { query } from './client';
import type { Difficulty, Page } from './questions';
import type { PublicProfile } from './user';

const H = '/history-service-api';

/** How a session ended: a member ended it, or the members left without ending it. */
export type Outcome = 'completed' | 'abandoned';
export const OUTCOMES: readonly Outcome[] = ['completed', 'abandoned'];

/** The question as it was when the attempt was recorded (later edits don't rewrite it). */
export interface QuestionSnapshot {
  id: string;
  title: string;
  difficulty: Difficulty;
  topics: string[];
}

/** An attempt in a list: everything but the code (`AttemptSummary` in the service). */
export interface AttemptSummary {
  id: string;
  room_id: string;
  /** Absent when the session had no peer on record. */
  peer: PublicProfile | null;
  question: QuestionSnapshot;
  language: string;
  started_at: string;
  ended_at: string;
  duration_secs: number;
  outcome: Outcome;
}

/** One attempt with its final code. */
export interface Attempt extends AttemptSummary {
  user_id: string;
  code: string;
  recorded_at: string;
}

export interface TopicCount {
  topic: string;
  attempts: number;
}

export interface Stats {
  total_attempts: number;
  completed: number;
  abandoned: number;
  /** Time spent in sessions. */
  total_duration_secs: number;
  /** `easy`, `medium` and `hard` always present (zero when none). */
  by_difficulty: Record<string, number>;
  /** Most attempted first. */
  by_topic: TopicCount[];
  /** Consecutive days (UTC) with an attempt, ending today or yesterday. */
  current_streak_days: number;
  longest_streak_days: number;
  last_attempt_at: string | null;
}

export interface AttemptFilter {
  difficulty?: Difficulty | '';
  topic?: string;
  outcome?: Outcome | '';
  language?: string;
  page?: number;
  perPage?: number;
}

/** The user's attempts, newest first; a page past the end is empty. */
export function listAttempts(filter: AttemptFilter): Promise<Page<AttemptSummary>> {
  const params = query({
    difficulty: filter.difficulty,
    topic: filter.topic,
    outcome: filter.outcome,
    language: filter.language,
    page: filter.page,
    per_page: filter.perPage,
  });
  return api.request('GET', `${H}/attempts${params}`);
}

/** 404 when there is no such attempt of the user's. */
export function getAttempt(id: string): Promise<Attempt> {
  return api.request('GET', `${H}/attempts/${encodeURIComponent(id)}`);
}

export function getStats(): Promise<Stats> {
  return api.request('GET', `${H}/stats`);
}
