import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, useLocation } from 'react-router-dom';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/errors';
import * as questions from '../../api/questions';
import { AdminQuestionsPage } from './AdminQuestionsPage';

vi.mock('../../api/questions', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api/questions')>()),
  listQuestions: vi.fn(),
  listTopics: vi.fn(),
  deleteQuestion: vi.fn(),
}));

afterEach(cleanup);

const summary: questions.QuestionSummary = {
  id: 'q1',
  slug: 'odd-sums',
  title: 'Odd Sums',
  difficulty: 'easy',
  topics: ['math'],
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};

beforeEach(() => {
  vi.clearAllMocks();
  vi.mocked(questions.listQuestions).mockResolvedValue({ items: [summary], total: 1, page: 1, per_page: 20 });
  vi.mocked(questions.listTopics).mockResolvedValue([{ topic: 'math', count: 1, easy: 1, medium: 0, hard: 0 }]);
});

function Address() {
  return <output data-testid="address">{useLocation().search}</output>;
}

function renderPage(state?: unknown, search = '') {
  render(
    <MemoryRouter initialEntries={[{ pathname: '/admin/questions', search, state }]}>
      <AdminQuestionsPage />
      <Address />
    </MemoryRouter>,
  );
}

it('lists the bank with an edit link per question, a new-question link and the admin navigation', async () => {
  renderPage();
  expect(screen.getByRole('heading', { level: 1, name: 'Manage questions' })).toBeTruthy();
  const edit = await screen.findByRole('link', { name: 'Edit Odd Sums' });
  expect(edit.getAttribute('href')).toBe('/admin/questions/q1/edit');
  expect(screen.getByRole('link', { name: 'New question' }).getAttribute('href')).toBe('/admin/questions/new');
  const nav = screen.getByRole('navigation', { name: 'Admin' });
  expect(within(nav).getByRole('link', { name: 'Users' }).getAttribute('href')).toBe('/admin/users');
});

it('deletes only after the confirmation, then says so and reloads', async () => {
  vi.mocked(questions.deleteQuestion).mockResolvedValue(undefined);
  renderPage();
  await userEvent.click(await screen.findByRole('button', { name: 'Delete Odd Sums' }));
  expect(questions.deleteQuestion).not.toHaveBeenCalled();
  expect(screen.getByText(/Delete “Odd Sums” for good\?/)).toBe(document.activeElement);
  await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
  expect(screen.queryByRole('button', { name: 'Yes, delete' })).toBeNull();

  await userEvent.click(screen.getByRole('button', { name: 'Delete Odd Sums' }));
  await userEvent.click(screen.getByRole('button', { name: 'Yes, delete' }));
  expect(questions.deleteQuestion).toHaveBeenCalledWith('q1');
  expect((await screen.findByText('Deleted “Odd Sums”.')).getAttribute('role')).toBe('status');
  // The list reloads after a delete (its own effect, so it may follow the notice).
  await waitFor(() => expect(questions.listQuestions).toHaveBeenCalledTimes(2));
  // The topic counts change with a delete too.
  expect(questions.listTopics).toHaveBeenCalledTimes(2);
});

it('a question already gone is said in a sentence', async () => {
  vi.mocked(questions.deleteQuestion).mockRejectedValue(new ApiError(404, { code: 'not_found', message: '' }));
  renderPage();
  await userEvent.click(await screen.findByRole('button', { name: 'Delete Odd Sums' }));
  await userEvent.click(screen.getByRole('button', { name: 'Yes, delete' }));
  expect((await screen.findByRole('alert')).textContent).toBe('“Odd Sums” was already deleted.');
});

it('shows the editor’s saved notice with a link to the question', async () => {
  renderPage({ saved: { title: 'Odd Sums', slug: 'odd-sums', created: true } });
  const notice = await screen.findByText(/Created “Odd Sums”/);
  expect(within(notice).getByRole('link', { name: 'View it' }).getAttribute('href')).toBe('/questions/odd-sums');
});

it('searches and filters through the address, back on the first page, and pages through', async () => {
  vi.mocked(questions.listQuestions).mockResolvedValue({ items: [summary], total: 45, page: 2, per_page: 20 });
  renderPage(undefined, '?q=odd&page=2');
  expect(await screen.findByText('45 questions, page 2 of 3.')).toBeTruthy();
  expect(questions.listQuestions).toHaveBeenLastCalledWith({ topic: '', difficulty: '', q: 'odd', page: 2, perPage: 20 });
  const search = screen.getByRole('searchbox', { name: 'Search' });
  expect((search as HTMLInputElement).value).toBe('odd');
  await userEvent.clear(search);
  await userEvent.type(search, ' sums {Enter}');
  expect(screen.getByTestId('address').textContent).toBe('?q=sums');
  await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Difficulty' }), 'easy');
  await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Topic' }), 'Math (1)');
  expect(screen.getByTestId('address').textContent).toBe('?q=sums&difficulty=easy&topic=math');
  await userEvent.click(within(screen.getByRole('navigation', { name: 'Pages' })).getByRole('button', { name: 'Next page' }));
  expect(screen.getByTestId('address').textContent).toBe('?q=sums&difficulty=easy&topic=math&page=2');
});
