import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/errors';
import * as questions from '../../api/questions';
import { QuestionEditorPage } from './QuestionEditorPage';

vi.mock('../../api/questions', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api/questions')>()),
  getQuestion: vi.fn(),
  createQuestion: vi.fn(),
  updateQuestion: vi.fn(),
}));

afterEach(cleanup);
beforeEach(() => {
  vi.clearAllMocks();
});

const stored: questions.Question = {
  id: 'q1',
  slug: 'odd-sums',
  title: 'Odd Sums',
  difficulty: 'easy',
  topics: ['math'],
  description: 'Sum the *odd* numbers.',
  examples: [{ input: 'n = 3', output: '9' }],
  constraints: ['1 <= n'],
  starter_code: { python: 'def f(n):\n    pass\n' },
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};

/** Where the editor went after saving, and with what notice. */
function ListStub() {
  const location = useLocation();
  return <p>List page {JSON.stringify(location.state)}</p>;
}

function renderAt(path: string) {
  render(
    <MemoryRouter initialEntries={[path]}>
      <Routes>
        <Route path="/admin/questions" element={<ListStub />} />
        <Route path="/admin/questions/new" element={<QuestionEditorPage />} />
        <Route path="/admin/questions/:id/edit" element={<QuestionEditorPage />} />
      </Routes>
    </MemoryRouter>,
  );
}

async function fillNew() {
  await userEvent.type(screen.getByLabelText('Title'), 'Odd Sums');
  await userEvent.type(screen.getByLabelText('Topics'), 'math, recursion');
  await userEvent.type(screen.getByLabelText('Description (Markdown)'), 'Sum **odd** numbers.');
  await userEvent.type(screen.getByLabelText('Input'), 'n = 3');
  await userEvent.type(screen.getByLabelText('Output'), '9');
}

it('creates a question from the form and goes back to the list with a notice', async () => {
  vi.mocked(questions.createQuestion).mockResolvedValue(stored);
  renderAt('/admin/questions/new');
  expect(screen.getByRole('heading', { level: 1, name: 'New question' })).toBeTruthy();
  await fillNew();
  await userEvent.click(screen.getByRole('button', { name: 'Add constraint' }));
  await userEvent.type(screen.getByLabelText('Constraint 1'), '1 <= n');
  await userEvent.click(screen.getByRole('checkbox', { name: 'Python' }));
  await userEvent.type(screen.getByLabelText('Python starter code'), 'pass');
  await userEvent.click(screen.getByRole('button', { name: 'Create question' }));
  expect(questions.createQuestion).toHaveBeenCalledWith({
    title: 'Odd Sums',
    difficulty: 'easy',
    topics: ['math', 'recursion'],
    description: 'Sum **odd** numbers.',
    examples: [{ input: 'n = 3', output: '9' }],
    constraints: ['1 <= n'],
    starter_code: { python: 'pass' },
  });
  expect(await screen.findByText(/List page/)).toBeTruthy();
  expect(screen.getByText(/"created":true/)).toBeTruthy();
});

it('previews the Markdown as it is typed', async () => {
  renderAt('/admin/questions/new');
  await userEvent.type(screen.getByLabelText('Description (Markdown)'), 'Sum **odd** numbers.');
  const preview = screen.getByRole('region', { name: 'Preview' });
  expect(within(preview).getByText('odd').tagName).toBe('STRONG');
});

it('examples are added and removed', async () => {
  renderAt('/admin/questions/new');
  await userEvent.click(screen.getByRole('button', { name: 'Add example' }));
  expect(screen.getAllByLabelText('Input')).toHaveLength(2);
  expect(screen.getByRole('group', { name: 'Example 2' })).toBeTruthy();
  await userEvent.click(screen.getByRole('button', { name: 'Remove example 1' }));
  expect(screen.getAllByLabelText('Input')).toHaveLength(1);
});

it('checks the obvious rules before sending', async () => {
  renderAt('/admin/questions/new');
  await userEvent.click(screen.getByRole('button', { name: 'Create question' }));
  expect(questions.createQuestion).not.toHaveBeenCalled();
  expect(screen.getByRole('alert').textContent).toContain('Some fields need another look.');
  expect(screen.getByLabelText('Title').getAttribute('aria-invalid')).toBe('true');
  expect(screen.getByText('Title must be 3 to 120 characters.')).toBeTruthy();
  expect(screen.getByText("Example 1's input must not be empty.")).toBeTruthy();
});

it('shows the service’s field errors next to their fields, and a taken title on the title', async () => {
  vi.mocked(questions.createQuestion).mockRejectedValueOnce(
    new ApiError(400, {
      code: 'validation_failed',
      message: 'invalid',
      details: { fields: { 'examples[0].output': ['must be at most 2000 characters'] } },
    }),
  );
  renderAt('/admin/questions/new');
  await fillNew();
  await userEvent.click(screen.getByRole('button', { name: 'Create question' }));
  const output = screen.getByLabelText('Output');
  expect(output.getAttribute('aria-invalid')).toBe('true');
  const describedBy = output.getAttribute('aria-describedby') ?? '';
  expect(document.getElementById(describedBy)?.textContent).toBe("Example 1's output must be at most 2000 characters.");

  vi.mocked(questions.createQuestion).mockRejectedValueOnce(new ApiError(409, { code: 'title_taken', message: '' }));
  await userEvent.click(screen.getByRole('button', { name: 'Create question' }));
  expect(await screen.findByText('Another question already has this title.')).toBeTruthy();
  expect(screen.getByLabelText('Output').getAttribute('aria-invalid')).toBeNull();
});

it('edit loads the question, keeps its slug, and saves every field', async () => {
  vi.mocked(questions.getQuestion).mockResolvedValue(stored);
  vi.mocked(questions.updateQuestion).mockResolvedValue(stored);
  renderAt('/admin/questions/q1/edit');
  expect(screen.getByRole('heading', { level: 1, name: 'Edit question' })).toBeTruthy();
  const title = await screen.findByLabelText('Title');
  expect((title as HTMLInputElement).value).toBe('Odd Sums');
  expect((screen.getByLabelText('Python starter code') as HTMLTextAreaElement).value).toBe('def f(n):\n    pass\n');
  await userEvent.selectOptions(screen.getByLabelText('Difficulty'), 'hard');
  await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
  expect(questions.getQuestion).toHaveBeenCalledWith('q1');
  expect(questions.updateQuestion).toHaveBeenCalledWith('q1', {
    title: 'Odd Sums',
    slug: 'odd-sums',
    difficulty: 'hard',
    topics: ['math'],
    description: 'Sum the *odd* numbers.',
    examples: [{ input: 'n = 3', output: '9' }],
    constraints: ['1 <= n'],
    starter_code: { python: 'def f(n):\n    pass\n' },
  });
  expect(await screen.findByText(/"created":false/)).toBeTruthy();
});

it('edit of a missing question says so', async () => {
  vi.mocked(questions.getQuestion).mockRejectedValue(new ApiError(404, { code: 'not_found', message: '' }));
  renderAt('/admin/questions/nope/edit');
  expect((await screen.findByRole('alert')).textContent).toBe('There is no such question; it may have been deleted.');
  expect(screen.queryByRole('button', { name: 'Save changes' })).toBeNull();
});
