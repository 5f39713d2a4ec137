import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import * as chat from '../../api/chat';
import { ApiError } from '../../api/errors';
import * as history from '../../api/history';
import { AttemptPage } from './AttemptPage';

vi.mock('../../api/history', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api/history')>()),
  getAttempt: vi.fn(),
}));
// CodeMirror measures layout jsdom does not have; CodeViewer.test.tsx covers the viewer.
vi.mock('./CodeViewer', () => ({
  CodeViewer: ({ code, label }: { code: string; label: string }) => (
    <pre aria-label={label} data-testid="code-viewer">
      {code}
    </pre>
  ),
}));
vi.mock('../../api/chat', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api/chat')>()),
  listMessages: vi.fn(),
}));

afterEach(cleanup);

const attempt: history.Attempt = {
  id: 'a1',
  room_id: 'r1',
  user_id: 'u1',
  peer: { id: 'u2', username: 'grace' },
  question: { id: 'q1', title: 'Odd Sums', difficulty: 'easy', topics: ['math'] },
  language: 'python',
  code: 'def odd_sum(n):\n    return n * n\n',
  started_at: '2025-06-01T10:00:00Z',
  ended_at: '2025-06-01T10:25:00Z',
  duration_secs: 1500,
  outcome: 'completed',
  recorded_at: '2025-06-01T10:25:01Z',
};

const message = (id: number, text: string): chat.ChatMessage => ({
  id,
  client_id: `c${id}`,
  sender: { id: id % 2 ? 'u1' : 'u2', username: id % 2 ? 'ada' : 'grace' },
  text,
  sent_at: '2025-06-01T10:05:00Z',
});

beforeEach(() => {
  vi.clearAllMocks();
  vi.mocked(history.getAttempt).mockResolvedValue(attempt);
  vi.mocked(chat.listMessages).mockResolvedValue({ items: [message(2, 'hello ada'), message(1, 'hi')], next_before: null });
});

function renderPage(id = 'a1') {
  render(
    <MemoryRouter initialEntries={[`/history/${id}`]}>
      <Routes>
        <Route path="/history/:attemptId" element={<AttemptPage />} />
      </Routes>
    </MemoryRouter>,
  );
}

it('shows the question, the facts, the final code read-only and the transcript oldest first', async () => {
  renderPage();
  expect(await screen.findByRole('heading', { level: 1, name: 'Odd Sums' })).toBeTruthy();
  expect(history.getAttempt).toHaveBeenCalledWith('a1');
  expect(screen.getByRole('link', { name: 'Open the question' }).getAttribute('href')).toBe('/questions/q1');
  expect(screen.getByRole('link', { name: '← All attempts' }).getAttribute('href')).toBe('/history');
  const facts = (term: string) => screen.getByText(term, { selector: 'dt' }).nextElementSibling?.textContent;
  expect(facts('Peer')).toBe('grace');
  expect(facts('Language')).toBe('Python');
  expect(facts('Duration')).toBe('25 min');
  expect(facts('Outcome')).toBe('Completed');
  expect(screen.getByRole('heading', { level: 2, name: 'Final code' })).toBeTruthy();
  const code = screen.getByTestId('code-viewer');
  expect(code.getAttribute('aria-label')).toBe('Final code (Python)');
  expect(code.textContent).toContain('return n * n');

  // The transcript loads in its own effect, after the page: wait for it, then check the call.
  const list = await screen.findByRole('list', { name: 'Chat messages' });
  expect(chat.listMessages).toHaveBeenCalledWith('r1', { limit: 50 });
  const items = within(list).getAllByRole('listitem').map((li) => li.textContent ?? '');
  expect(items).toHaveLength(2);
  expect(items[0]).toMatch(/^ada .*hi$/);
  expect(items[1]).toMatch(/^grace .*hello ada$/);
  expect(screen.queryByRole('button', { name: 'Show earlier messages' })).toBeNull();
});

it('says when no peer was recorded and no code was written', async () => {
  vi.mocked(history.getAttempt).mockResolvedValue({ ...attempt, peer: null, code: '  \n' });
  renderPage();
  await screen.findByRole('heading', { level: 1, name: 'Odd Sums' });
  expect(screen.getByText('No peer recorded')).toBeTruthy();
  expect(screen.getByText('No code was written.')).toBeTruthy();
  expect(screen.queryByTestId('code-viewer')).toBeNull();
});

it('loads earlier messages in front of the shown ones until the start', async () => {
  vi.mocked(chat.listMessages)
    .mockResolvedValueOnce({ items: [message(4, 'four'), message(3, 'three')], next_before: 3 })
    .mockResolvedValueOnce({ items: [message(2, 'two'), message(1, 'one')], next_before: null });
  renderPage();
  const list = await screen.findByRole('list', { name: 'Chat messages' });
  const texts = () => within(list).getAllByRole('paragraph').map((p) => p.textContent);
  expect(texts()).toEqual(['three', 'four']);
  await userEvent.click(screen.getByRole('button', { name: 'Show earlier messages' }));
  expect(chat.listMessages).toHaveBeenLastCalledWith('r1', { before: 3, limit: 50 });
  expect(await screen.findByText('one')).toBeTruthy();
  expect(texts()).toEqual(['one', 'two', 'three', 'four']);
  expect(screen.queryByRole('button', { name: 'Show earlier messages' })).toBeNull();
  expect(screen.getByText('2 earlier messages shown; this is the start of the chat.')).toBeTruthy();
  expect(document.activeElement).toBe(list);
});

it('says an empty transcript had no messages', async () => {
  vi.mocked(chat.listMessages).mockResolvedValue({ items: [], next_before: null });
  renderPage();
  expect(await screen.findByText('No messages were sent.')).toBeTruthy();
});

it('keeps the page when the transcript cannot be read, with a sentence in its place', async () => {
  vi.mocked(chat.listMessages).mockRejectedValue(new ApiError(404, { code: 'not_found', message: 'no such room' }));
  renderPage();
  const alert = await screen.findByRole('alert');
  expect(alert.textContent).toBe('The chat of this session could not be found.');
  expect(screen.getByRole('heading', { level: 1, name: 'Odd Sums' })).toBeTruthy();
  expect(screen.getByTestId('code-viewer')).toBeTruthy();
});

it('keeps the shown messages when an earlier page fails, and says why', async () => {
  vi.mocked(chat.listMessages)
    .mockResolvedValueOnce({ items: [message(2, 'two')], next_before: 2 })
    .mockRejectedValueOnce(new ApiError(503, { code: 'unavailable', message: 'redis down' }));
  renderPage();
  await userEvent.click(await screen.findByRole('button', { name: 'Show earlier messages' }));
  expect((await screen.findByRole('alert')).textContent).toBe(
    'That part of PeerPrep is unavailable right now. Please try again shortly.',
  );
  expect(screen.getByText('two')).toBeTruthy();
  expect(screen.getByRole('button', { name: 'Show earlier messages' })).toBeTruthy();
});

it('says clearly when the attempt does not exist', async () => {
  vi.mocked(history.getAttempt).mockRejectedValue(new ApiError(404, { code: 'not_found', message: 'no such attempt' }));
  renderPage('nope');
  expect((await screen.findByRole('alert')).textContent).toBe('This attempt was not found.');
  expect(screen.getByRole('heading', { level: 1, name: 'Attempt not found' })).toBeTruthy();
  expect(chat.listMessages).not.toHaveBeenCalled();
});

it('says other failures as sentences', async () => {
  vi.mocked(history.getAttempt).mockRejectedValue(new ApiError(500, { code: 'internal', message: 'boom' }));
  renderPage();
  expect((await screen.findByRole('alert')).textContent).toBe('Something went wrong on our side. Please try again.');
});
