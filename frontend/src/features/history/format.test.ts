import { expect, it } from 'vitest';
import { countAttempts, formatDateTime, formatDays, formatDuration, listStatus, outcomeLabel } from './format';

it('writes durations in whole minutes and hours', () => {
  expect(formatDuration(1500)).toBe('25 min');
  expect(formatDuration(3900)).toBe('1 h 5 min');
  expect(formatDuration(7200)).toBe('2 h');
  expect(formatDuration(60)).toBe('1 min');
  expect(formatDuration(89)).toBe('1 min');
  expect(formatDuration(90)).toBe('2 min');
  expect(formatDuration(3599)).toBe('1 h');
  expect(formatDuration(100 * 3600 + 60)).toBe('100 h 1 min');
});

it('says a session shorter than a minute was under a minute', () => {
  expect(formatDuration(0)).toBe('under 1 min');
  expect(formatDuration(59)).toBe('under 1 min');
  expect(formatDuration(Number.NaN)).toBe('under 1 min');
});

it('counts days and attempts in words', () => {
  expect(formatDays(0)).toBe('0 days');
  expect(formatDays(1)).toBe('1 day');
  expect(formatDays(12)).toBe('12 days');
  expect(countAttempts(1)).toBe('1 attempt');
  expect(countAttempts(3)).toBe('3 attempts');
});

it('names outcomes', () => {
  expect(outcomeLabel('completed')).toBe('Completed');
  expect(outcomeLabel('abandoned')).toBe('Abandoned');
});

it('writes a timestamp in the given locale and zone, and leaves a non-date as it is', () => {
  const text = formatDateTime('2025-06-01T10:25:00Z', 'en-GB', 'UTC');
  expect(text).toContain('2025');
  expect(text).toContain('10:25');
  expect(formatDateTime('not a date')).toBe('not a date');
});

it('says how many attempts and which page, and when a page is past the end', () => {
  expect(listStatus(23, 1, 2)).toBe('23 attempts, page 1 of 2.');
  expect(listStatus(1, 1, 1)).toBe('1 attempt, page 1 of 1.');
  expect(listStatus(0, 1, 1)).toBe('No attempts match these filters.');
  expect(listStatus(23, 9, 2)).toBe('Page 9 is past the end: 23 attempts fill 2 pages.');
  expect(listStatus(3, 2, 1)).toBe('Page 2 is past the end: 3 attempts fill 1 page.');
});
