import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/errors';
import type { Question } from '../../api/questions';
import {
  addConstraint,
  addExample,
  checkForm,
  chosenLanguages,
  describeSaveError,
  emptyForm,
  fieldLabel,
  formFromQuestion,
  parseTopics,
  questionFieldErrors,
  removeConstraint,
  removeExample,
  toggleLanguage,
  toInput,
  updateConstraint,
  updateExample,
  type QuestionForm,
} from './questionForm';

const question: Question = {
  id: 'q1',
  slug: 'odd-sums',
  title: 'Odd Sums',
  difficulty: 'medium',
  topics: ['math', 'recursion'],
  description: 'Return the sum of the first `n` odd numbers.',
  examples: [
    { input: 'n = 3', output: '9', explanation: '1 + 3 + 5' },
    { input: 'n = 1', output: '1' },
  ],
  constraints: ['1 <= n <= 10^4'],
  starter_code: { python: 'def odd_sum(n):\n    pass\n' },
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};

/** The row at `i`, failing the test when there is none. */
function at<T>(rows: T[], i: number): T {
  const row = rows[i];
  if (row === undefined) throw new Error(`no row ${i}`);
  return row;
}

function filled(): QuestionForm {
  return formFromQuestion(question);
}

describe('form and body', () => {
  it('a stored question round-trips through the form to the same body, slug kept', () => {
    expect(toInput(filled())).toEqual({
      title: 'Odd Sums',
      slug: 'odd-sums',
      description: question.description,
      difficulty: 'medium',
      topics: ['math', 'recursion'],
      examples: question.examples,
      constraints: ['1 <= n <= 10^4'],
      starter_code: { python: 'def odd_sum(n):\n    pass\n' },
    });
  });

  it('an empty slug and blank explanations are left out; the title is trimmed', () => {
    const form = { ...filled(), slug: '  ', title: '  Odd Sums ' };
    const body = toInput(updateExample(form, at(form.examples, 0).key, { explanation: '   ' }));
    expect('slug' in body).toBe(false);
    expect(body.title).toBe('Odd Sums');
    expect(body.examples[0]).toEqual({ input: 'n = 3', output: '9' });
  });

  it('topics are read from a comma list, lower-cased, blanks dropped', () => {
    expect(parseTopics(' Arrays, two-pointers ,, ')).toEqual(['arrays', 'two-pointers']);
    expect(parseTopics('')).toEqual([]);
  });

  it('a new form has one empty example and nothing else', () => {
    const form = emptyForm();
    expect(form.examples).toHaveLength(1);
    expect(form.constraints).toEqual([]);
    expect(form.starterCode).toEqual({});
  });
});

describe('rows', () => {
  it('examples are added at the end and removed by key, the others untouched', () => {
    let form = addExample(filled());
    expect(form.examples).toHaveLength(3);
    const [first, second, third] = [0, 1, 2].map((i) => at(form.examples, i));
    expect(new Set([first?.key, second?.key, third?.key]).size).toBe(3);
    form = removeExample(form, at(form.examples, 1).key);
    expect(form.examples.map((e) => e.input)).toEqual(['n = 3', '']);
    form = updateExample(form, at(form.examples, 1).key, { input: 'n = 2', output: '4' });
    expect(toInput(form).examples[1]).toEqual({ input: 'n = 2', output: '4' });
  });

  it('constraints are added, edited and removed', () => {
    let form = addConstraint(filled());
    const added = at(form.constraints, 1);
    form = updateConstraint(form, added.key, 'n is odd');
    expect(toInput(form).constraints).toEqual(['1 <= n <= 10^4', 'n is odd']);
    form = removeConstraint(form, at(form.constraints, 0).key);
    expect(toInput(form).constraints).toEqual(['n is odd']);
  });

  it('choosing a language adds empty starter code, keeping code already typed; unchoosing drops it', () => {
    let form = toggleLanguage(filled(), 'go', true);
    form = toggleLanguage(form, 'python', true);
    expect(form.starterCode).toEqual({ python: question.starter_code.python, go: '' });
    expect(chosenLanguages(form)).toEqual(['python', 'go']);
    form = toggleLanguage(form, 'python', false);
    expect(toInput(form).starter_code).toEqual({ go: '' });
  });
});

describe('checks before sending', () => {
  it('a good form passes', () => {
    expect(checkForm(filled())).toEqual({});
  });

  it('mirrors the service rules, under the service field names', () => {
    const form: QuestionForm = {
      ...emptyForm(),
      title: 'ab',
      slug: 'Not A Slug',
      topics: 'a, b, c, d, e, f',
      constraints: [{ key: -1, text: ' ' }],
    };
    expect(checkForm(form)).toEqual({
      title: 'Title must be 3 to 120 characters.',
      slug: 'Slug must be lower-case letters and digits joined by "-", at most 80 characters.',
      description: 'Description must not be empty.',
      topics: 'Topics must name 1 to 5 distinct topics.',
      'examples[0].input': "Example 1's input must not be empty.",
      'examples[0].output': "Example 1's output must not be empty.",
      'constraints[0]': 'Constraint 1 must not be empty.',
    });
  });

  it('names topics that are not slugs, and needs at least one topic and example', () => {
    expect(checkForm({ ...filled(), topics: 'math, two pointers' }).topics).toBe(
      '"two pointers" is not a topic slug (e.g. two-pointers).',
    );
    expect(checkForm({ ...filled(), topics: ' , ' }).topics).toBe('Topics must name 1 to 5 distinct topics.');
    expect(checkForm({ ...filled(), examples: [] }).examples).toBe('Add 1 to 10 examples.');
  });
});

describe('the service answer', () => {
  it('field errors are worded with the form labels', () => {
    expect(fieldLabel('examples[1].input')).toBe("Example 2's input");
    expect(fieldLabel('constraints[0]')).toBe('Constraint 1');
    expect(fieldLabel('starter_code.python')).toBe('Python starter code');
    expect(fieldLabel('starter_code')).toBe('Starter code');
    expect(
      questionFieldErrors({
        fields: {
          title: ['must be 3 to 120 characters'],
          topics: ['`Two Pointers` is not a topic slug (e.g. `two-pointers`)', 'must name 1 to 5 distinct topics'],
          'examples[0].output': ['must not be empty'],
        },
      }),
    ).toEqual({
      title: 'Title must be 3 to 120 characters.',
      topics: 'Topics "Two Pointers" is not a topic slug (e.g. "two-pointers"). Topics must name 1 to 5 distinct topics.',
      'examples[0].output': "Example 1's output must not be empty.",
    });
    expect(questionFieldErrors(null)).toEqual({});
  });

  it('409s land on the field they name; a 404 says the question is gone', () => {
    const title = describeSaveError(new ApiError(409, { code: 'title_taken', message: '' }));
    expect(title.fields).toEqual({ title: 'Another question already has this title.' });
    expect(title.message).toBe('A question with that title already exists.');
    const slug = describeSaveError(new ApiError(409, { code: 'slug_taken', message: '' }));
    expect(slug.fields).toEqual({ slug: 'Another question already has this slug.' });
    const madeFromTitle = describeSaveError(new ApiError(409, { code: 'slug_taken', message: '' }), false);
    expect(Object.keys(madeFromTitle.fields)).toEqual(['title']);
    const gone = describeSaveError(new ApiError(404, { code: 'not_found', message: '' }));
    expect(gone.message).toMatch(/no longer exists/);
    const invalid = describeSaveError(
      new ApiError(400, { code: 'validation_failed', message: '', details: { fields: { slug: ['is bad'] } } }),
    );
    expect(invalid).toEqual({ message: 'Some fields need another look.', fields: { slug: 'Slug is bad.' } });
  });
});
