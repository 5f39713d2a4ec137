// The question service: the bank, its topics, one question.
import { api } from './index';
import { query } from './client';

const Q = '/question-service-api';

export type Difficulty = 'easy' | 'medium' | 'hard';
export const DIFFICULTIES: readonly Difficulty[] = ['easy', 'medium', 'hard'];

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  per_page: number;
}

export interface Topic {
  topic: string;
  count: number;
  easy: number;
  medium: number;
  hard: number;
}

export interface QuestionSummary {
  id: string;
  slug: string;
  title: string;
  difficulty: Difficulty;
  topics: string[];
  created_at: string;
  updated_at: string;
}

export interface Example {
  input: string;
  output: string;
  explanation?: string | null;
}

export interface Question extends QuestionSummary {
  description: string;
  examples: Example[];
  constraints: string[];
  starter_code: Record<string, string>;
}

export interface QuestionFilter {
  topic?: string;
  difficulty?: Difficulty | '';
  q?: string;
  page?: number;
  perPage?: number;
}

export function listQuestions(filter: QuestionFilter): Promise<Page<QuestionSummary>> {
  const params = query({
    topic: filter.topic,
    difficulty: filter.difficulty,
    q: filter.q?.trim(),
    page: filter.page,
    per_page: filter.perPage,
  });
  return api.request('GET', `${Q}/questions${params}`, { refresh: false });
}

export function getQuestion(idOrSlug: string): Promise<Question> {
  return api.request('GET', `${Q}/questions/${encodeURIComponent(idOrSlug)}`, { refresh: false });
}

export function listTopics(): Promise<Topic[]> {
  return api.request('GET', `${Q}/topics`, { refresh: false });
}

/** "dynamic-programming" → "Dynamic programming". */
export function topicLabel(slug: string): string {
  const words = slug.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** What an admin sends to create or replace a question (`QuestionInput` in the service). */
export interface QuestionInput {
  title: string;
  /** Made from the title by the service when absent. */
  slug?: string;
  description: string;
  difficulty: Difficulty;
  topics: string[];
  examples: Example[];
  constraints: string[];
  starter_code: Record<string, string>;
}

/** Admin: 201 the new question; 400 `validation_failed`; 409 `title_taken` / `slug_taken`. */
export function createQuestion(input: QuestionInput): Promise<Question> {
  return api.request('POST', `${Q}/questions`, { body: input });
}

/** Admin: every field replaced; 404; 400; 409. */
export function updateQuestion(id: string, input: QuestionInput): Promise<Question> {
  return api.request('PUT', `${Q}/questions/${encodeURIComponent(id)}`, { body: input });
}

/** Admin: 204; 404 when no question has this id. */
export function deleteQuestion(id: string): Promise<void> {
  return api.request<undefined>('DELETE', `${Q}/questions/${encodeURIComponent(id)}`);
}
