import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, useLocation } from 'react-router-dom';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/errors';
import * as history from '../../api/history';
import { HistoryPage } from './HistoryPage';

vi.mock('../../api/history', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api/history')>()),
  listAttempts: vi.fn(),
  getStats: vi.fn(),
}));

afterEach(cleanup);

const attempt: history.AttemptSummary = {
  id: 'a1',
  room_id: 'r1',
  peer: { id: 'u2', username: 'grace' },
  question: { id: 'q1', title: 'Odd Sums', difficulty: 'easy', topics: ['math', 'dynamic-programming'] },
  language: 'python',
  started_at: '2025-06-01T10:00:00Z',
  ended_at: '2025-06-01T10:25:00Z',
  duration_secs: 1500,
  outcome: 'completed',
};

const stats: history.Stats = {
  total_attempts: 2,
  completed: 1,
  abandoned: 1,
  total_duration_secs: 3900,
  by_difficulty: { easy: 1, hard: 1, medium: 0 },
  by_topic: [
    { topic: 'math', attempts: 2 },
    { topic: 'graphs', attempts: 1 },
  ],
  current_streak_days: 1,
  longest_streak_days: 4,
  last_attempt_at: '2025-06-01T10:25:00Z',
};

beforeEach(() => {
  vi.clearAllMocks();
  vi.mocked(history.getStats).mockResolvedValue(stats);
  vi.mocked(history.listAttempts).mockResolvedValue({
    items: [attempt, { ...attempt, id: 'a2', peer: null, outcome: 'abandoned', language: 'cpp', duration_secs: 30 }],
    total: 2,
    page: 1,
    per_page: 20,
  });
});

function Address() {
  const location = useLocation();
  return <output data-testid="address">{location.search}</output>;
}

function renderPage(search = '') {
  render(
    <MemoryRouter initialEntries={[`/history${search}`]}>
      <HistoryPage />
      <Address />
    </MemoryRouter>,
  );
}

it('shows the statistics: totals, time, streaks, by difficulty and by topic', async () => {
  renderPage();
  expect(screen.getByRole('heading', { level: 1, name: 'History' })).toBeTruthy();
  const panel = await screen.findByRole('region', { name: 'Your statistics' });
  const facts = within(panel);
  expect(facts.getByText('Time practised').nextElementSibling?.textContent).toBe('1 h 5 min');
  expect(facts.getByText('Current streak').nextElementSibling?.textContent).toBe('1 day');
  expect(facts.getByText('Longest streak').nextElementSibling?.textContent).toBe('4 days');
  expect(facts.getByText('Abandoned').nextElementSibling?.textContent).toBe('1');
  const byDifficulty = facts.getByRole('table', { name: 'By difficulty' });
  expect(within(byDifficulty).getByRole('row', { name: 'medium 0' })).toBeTruthy();
  const byTopic = facts.getByRole('table', { name: 'By topic' });
  expect(within(byTopic).getAllByRole('row').map((r) => r.textContent)).toEqual(['TopicAttempts', 'Math2', 'Graphs1']);
});

it('lists attempts with a link to each, the peer or its absence, language, duration and outcome', async () => {
  renderPage();
  const list = await screen.findByRole('list', { name: 'Attempts' });
  const rows = within(list).getAllByRole('listitem');
  expect(rows).toHaveLength(2);
  const [first, second] = rows as [HTMLElement, HTMLElement];
  expect(within(first).getByRole('link', { name: 'Odd Sums' }).getAttribute('href')).toBe('/history/a1');
  expect(first.textContent).toContain('Peer: grace');
  expect(first.textContent).toContain('Math, Dynamic programming');
  expect(first.textContent).toContain('Python');
  expect(first.textContent).toContain('25 min');
  expect(first.textContent).toContain('Completed');
  expect(second.textContent).toContain('No peer recorded');
  expect(second.textContent).toContain('C++');
  expect(second.textContent).toContain('under 1 min');
  expect(second.textContent).toContain('Abandoned');
  expect(screen.getByText('2 attempts, page 1 of 1.').getAttribute('role')).toBe('status');
});

it('reads the filters from the address and offers only the attempted topics', async () => {
  renderPage('?difficulty=easy&topic=math&outcome=completed&language=python&page=2');
  await screen.findByRole('list', { name: 'Attempts' });
  expect(history.listAttempts).toHaveBeenCalledWith({
    difficulty: 'easy',
    topic: 'math',
    outcome: 'completed',
    language: 'python',
    page: 2,
    perPage: 20,
  });
  const topic = screen.getByRole('combobox', { name: 'Topic' }) as HTMLSelectElement;
  expect(topic.value).toBe('math');
  expect([...topic.options].map((o) => o.textContent)).toEqual(['Any topic', 'Math', 'Graphs']);
});

it('puts a chosen filter in the address and goes back to the first page', async () => {
  renderPage('?page=2');
  await screen.findByRole('list', { name: 'Attempts' });
  await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Outcome' }), 'abandoned');
  expect(screen.getByTestId('address').textContent).toBe('?outcome=abandoned');
  expect(history.listAttempts).toHaveBeenLastCalledWith(expect.objectContaining({ outcome: 'abandoned', page: 1 }));
});

it('says when nothing matches the filters, and clears them', async () => {
  vi.mocked(history.listAttempts).mockResolvedValue({ items: [], total: 0, page: 1, per_page: 20 });
  renderPage('?difficulty=hard&language=go');
  expect(await screen.findByText('No attempts match these filters.')).toBeTruthy();
  expect(screen.queryByText(/No attempts yet/)).toBeNull();
  await userEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
  expect(screen.getByTestId('address').textContent).toBe('');
});

it('invites a user with no attempts to start practising', async () => {
  vi.mocked(history.listAttempts).mockResolvedValue({ items: [], total: 0, page: 1, per_page: 20 });
  vi.mocked(history.getStats).mockResolvedValue({
    ...stats,
    total_attempts: 0,
    completed: 0,
    abandoned: 0,
    total_duration_secs: 0,
    by_difficulty: { easy: 0, medium: 0, hard: 0 },
    by_topic: [],
    current_streak_days: 0,
    longest_streak_days: 0,
    last_attempt_at: null,
  });
  renderPage();
  const invite = await screen.findByRole('link', { name: 'start practising' });
  expect(invite.getAttribute('href')).toBe('/');
  expect(invite.parentElement?.textContent).toBe('No attempts yet — start practising.');
  expect(screen.queryByRole('combobox')).toBeNull();
});

it('pages through the attempts', async () => {
  vi.mocked(history.listAttempts).mockResolvedValue({ items: [attempt], total: 45, page: 1, per_page: 20 });
  renderPage();
  const pager = await screen.findByRole('navigation', { name: 'Pages' });
  expect(within(pager).getByRole('button', { name: 'Previous page' }).hasAttribute('disabled')).toBe(true);
  await userEvent.click(within(pager).getByRole('button', { name: 'Next page' }));
  expect(screen.getByTestId('address').textContent).toBe('?page=2');
});

it('says why the attempts or statistics could not be read, as sentences', async () => {
  vi.mocked(history.listAttempts).mockRejectedValue(new ApiError(503, { code: 'unavailable', message: 'db down' }));
  vi.mocked(history.getStats).mockRejectedValue(new ApiError(0, { code: 'network', message: 'offline' }));
  renderPage();
  const alerts = await screen.findAllByRole('alert');
  const texts = alerts.map((a) => a.textContent);
  expect(texts).toContain('That part of PeerPrep is unavailable right now. Please try again shortly.');
  expect(texts).toContain('We could not reach PeerPrep. Check your connection and try again.');
});

it('says when the page in the address is past the end, and leads back to the last one', async () => {
  vi.mocked(history.listAttempts).mockResolvedValue({ items: [], total: 23, page: 9, per_page: 20 });
  renderPage('?page=9');
  expect(await screen.findByText('Page 9 is past the end: 23 attempts fill 2 pages.')).toBeTruthy();
  await userEvent.click(screen.getByRole('button', { name: 'Previous page' }));
  expect(screen.getByTestId('address').textContent).toBe('?page=2');
});
